package dev.herald.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for Herald's option formats. Stateless and thread-safe. */
final class Converters {

    private Converters() {
    }

    /**
     * {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30S}):
     * the forms Mercure's and Caddy's configuration accept.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            int i = 0;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                i++;
            }
            if (i == 0) {
                throw new TypeConversionException("'" + value + "' is not a duration (expected e.g. 500ms, 30s, 5m, 1h)");
            }
            long n = Long.parseLong(v.substring(0, i));
            switch (v.substring(i)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                case "":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    throw new TypeConversionException("'" + value + "' has an unknown unit (expected ms, s, m, h or d)");
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (expected e.g. 500ms, 30s, 5m, 1h)");
        }
    }

    /**
     * A size in bytes: a plain number, or one with a binary unit, {@code KiB}, {@code MiB},
     * {@code GiB}, {@code TiB} (also written {@code k}, {@code m}, {@code g}, {@code t}; any case).
     */
    static final class ByteSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseByteSize(value);
        }
    }

    static long parseByteSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new TypeConversionException("'" + value + "' is not a size (expected e.g. 1048576, 64MiB, 2GiB)");
        }
        int shift;
        switch (v.substring(i).trim()) {
            case "":
            case "b":
                shift = 0;
                break;
            case "k":
            case "kib":
                shift = 10;
                break;
            case "m":
            case "mib":
                shift = 20;
                break;
            case "g":
            case "gib":
                shift = 30;
                break;
            case "t":
            case "tib":
                shift = 40;
                break;
            default:
                throw new TypeConversionException("'" + value + "' has an unknown unit (expected KiB, MiB, GiB or TiB)");
        }
        try {
            long n = Long.parseLong(v.substring(0, i));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new TypeConversionException("'" + value + "' is too large");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
    }

    /** {@code HOST:PORT}, {@code :PORT} (every interface) or {@code [IPv6]:PORT}. */
    static final class AddressConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return parseAddress(value);
        }
    }

    static InetSocketAddress parseAddress(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new TypeConversionException("'" + value + "' is not HOST:PORT (e.g. localhost:8080 or :8080)");
        }
        String host = value.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "': port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new TypeConversionException("'" + value + "': port " + port + " out of range (expected: 0-65535)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
