package dev.herald.cli;

import dev.herald.client.mercure.MercurePublishException;
import dev.herald.client.mercure.MercurePublisher;
import dev.herald.client.mercure.MercureUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code herald publish}: one update to a hub, through {@link MercurePublisher}; prints the id the hub
 * gave it. Not thread-safe; picocli creates one per invocation.
 */
@Command(name = "publish",
        mixinStandardHelpOptions = true,
        description = "Publish an update to a hub and print the id it got.",
        footer = {"",
                "Examples:",
                "  export HERALD_TOKEN=$(herald token --publish '*')",
                "  herald publish --topic https://example.com/books/1 --data '{\"title\":\"Dune\"}'",
                "  herald publish -t https://example.com/books/1 -t https://example.com/books \\",
                "      --type bookUpdated --data-file book.json --id urn:isbn:9780441172719",
                "  date | herald publish -t https://example.com/clock --data-file -",
                "  herald publish --hub https://hub.example.com --private \\",
                "      -t https://example.com/users/42 --data hi",
                "",
                "Exit codes: 0 published; 1 refused by the hub (4xx: a bad update, 401 token",
                "missing or refused, 403 not allowed); 2 bad usage; 3 hub unreachable",
                "(connection refused or timed out: worth retrying); 4 hub failed (5xx, e.g.",
                "503 while its history is unavailable: worth retrying)."})
final class PublishCommand implements Callable<Integer> {

    @Mixin
    HubClientOptions hub;

    @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC",
            description = "Topic of the update; repeatable: the first is canonical, the others alternates.")
    List<String> topics = new ArrayList<>();

    @Option(names = {"-d", "--data"}, paramLabel = "TEXT", description = "The update's data.")
    String data;

    @Option(names = {"-f", "--data-file"}, paramLabel = "FILE",
            description = "Read the data from FILE (UTF-8; one final line break dropped); - reads standard input.")
    String dataFile;

    @Option(names = "--max-data-bytes", paramLabel = "SIZE", defaultValue = "16MiB",
            converter = Converters.ByteSizeConverter.class,
            description = "Most bytes --data-file may read; more is refused before anything is sent "
                    + "(default: ${DEFAULT-VALUE}; the hub's own default limit is 1 MiB).")
    long maxDataBytes;

    @Option(names = "--id", description = "The update's id (default: the hub gives it a urn:uuid).")
    String id;

    @Option(names = "--type", description = "The event type subscribers see (default: message).")
    String type;

    @Option(names = "--private", description = "Only subscribers whose token grants one of the topics receive it.")
    boolean privateUpdate;

    @Option(names = "--retry", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Reconnection time to send to subscribers with the update (e.g. 5s).")
    Duration retry;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Converters.DurationConverter.class,
            description = "How long the hub may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        URI url = hub.hubUrl();
        String token = hub.token();
        MercureUpdate update = update(readData());
        MercurePublisher publisher;
        try {
            publisher = MercurePublisher.builder(url).bearerToken(token).timeout(timeout).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        String action = "publishing to " + topics.get(0);
        try {
            System.out.println(publisher.publish(update));
        } catch (MercurePublishException e) {
            throw HubErrors.status(url, action, e.statusCode(), token != null, e.body());
        } catch (IOException e) {
            throw HubErrors.unreachable(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubCallException(HeraldCommand.EXIT_UNREACHABLE, "interrupted while waiting for the hub");
        }
        return 0;
    }

    private MercureUpdate update(String text) {
        try {
            MercureUpdate.Builder b = MercureUpdate.builder(topics.get(0));
            topics.subList(1, topics.size()).forEach(b::topic);
            if (text != null) {
                b.data(text);
            }
            if (id != null) {
                b.id(id);
            }
            if (type != null) {
                b.type(type);
            }
            if (retry != null) {
                b.retry(retry.toMillis());
            }
            return b.privateUpdate(privateUpdate).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /** The data from --data, --data-file or standard input; {@code null} for an update without data. */
    private String readData() {
        if (data != null && dataFile != null) {
            throw new ConfigurationException("give --data or --data-file, not both");
        }
        if (dataFile == null) {
            return data;
        }
        if (maxDataBytes <= 0 || maxDataBytes >= Integer.MAX_VALUE) {
            throw new ConfigurationException("--max-data-bytes: " + maxDataBytes + " (expected: 1 to "
                    + (Integer.MAX_VALUE - 1) + ")");
        }
        try {
            byte[] bytes;
            // bounded: /dev/zero or a huge file must not exhaust the heap before the hub would say 413
            try (InputStream in = dataFile.equals("-") ? System.in : Files.newInputStream(Path.of(dataFile))) {
                bytes = in.readNBytes((int) maxDataBytes + 1);
            }
            if (bytes.length > maxDataBytes) {
                throw new ConfigurationException("--data-file: more than " + maxDataBytes + " bytes (--max-data-bytes; "
                        + "the hub's default limit is 1 MiB)");
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return KeyOptions.withoutFinalLineBreak(text); // the line break ending a file or `echo` is not data
        } catch (CharacterCodingException e) {
            throw new ConfigurationException("--data-file " + dataFile + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigurationException("--data-file: cannot read " + dataFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
