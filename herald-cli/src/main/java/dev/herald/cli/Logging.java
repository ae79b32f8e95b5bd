package dev.herald.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback for {@code herald serve}: the {@code text} format ({@code logback.xml}, one line per
 * event) or {@code json} ({@code logback-json.xml}, Logback's {@code JsonEncoder}, one object per
 * line), and the level of Herald's own loggers. Both write to standard error.
 *
 * <p>Not thread-safe: called once, before the hub starts.
 */
final class Logging {

    /** The formats {@code --log-format} accepts. */
    static final String TEXT = "text";
    static final String JSON = "json";

    private Logging() {
    }

    /**
     * The logback resource for {@code format}, after checking {@code format} and {@code level}.
     *
     * @throws ConfigurationException for an unknown format or level
     */
    static String check(String format, String level) {
        String resource = switch (format.toLowerCase(Locale.ROOT)) {
            case TEXT -> "/logback.xml";
            case JSON -> "/dev/herald/cli/logback-json.xml";
            default -> throw new ConfigurationException("--log-format: unknown format '" + format
                    + "' (expected: text or json)");
        };
        Level parsed = Level.toLevel(level, null);
        if (parsed == null || !parsed.levelStr.equalsIgnoreCase(level.trim())) {
            throw new ConfigurationException("--log-level: unknown level '" + level
                    + "' (expected: ERROR, WARN, INFO, DEBUG or TRACE)");
        }
        return resource;
    }

    /**
     * Reloads the configuration of {@code format} with Herald's loggers at {@code level}.
     *
     * @throws ConfigurationException for an unknown format or level
     */
    static void configure(String format, String level) {
        String resource = check(format, level);
        Level parsed = Level.toLevel(level, null);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J binding on the class path: leave it alone
        }
        URL config = Logging.class.getResource(resource);
        context.reset();
        context.putProperty("HERALD_LOG_LEVEL", parsed.levelStr);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot load " + resource + ": " + e.getMessage(), e);
        }
    }
}
