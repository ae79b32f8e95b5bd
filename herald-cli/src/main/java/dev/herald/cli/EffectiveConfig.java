package dev.herald.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code herald serve --print-config}: every setting's effective value and where it came from, as a
 * TOML document that can serve as a configuration file (secrets masked by {@link Secrets}, so a
 * masked secret must be filled in again). Settings without a value are listed as comments. Stateless
 * and thread-safe.
 */
final class EffectiveConfig {

    private static final int VALUE_COLUMN = 44;

    private EffectiveConfig() {
    }

    /** A value the command derives from another setting, e.g. {@code anonymous = true} under {@code --dev}. */
    record Implied(String tomlValue, String origin) {
    }

    static void print(SettingsProvider provider, PrintStream out) {
        print(provider, out, Map.of());
    }

    /** Prints the configuration, with {@code implied} (by key) in place of the values they override. */
    static void print(SettingsProvider provider, PrintStream out, Map<String, Implied> implied) {
        out.println("# herald serve: effective configuration (flag > HERALD_* environment > config file > default)");
        if (provider.filePath() != null) {
            out.println("# config file: " + provider.filePath());
        }
        for (Setting s : provider.settings()) {
            SettingsProvider.Source source = provider.source(s);
            String origin = switch (source) {
                case FLAG -> "flag " + s.option().longestName();
                case ENV -> "environment " + s.envName();
                case FILE -> "config file";
                case DEFAULT -> "default";
            };
            List<String> values = values(provider, s, source);
            Implied derived = implied.get(s.key());
            if (derived != null) {
                out.println(pad(s.key() + " = " + derived.tomlValue()) + "# " + derived.origin());
            } else if (values == null) {
                out.println(pad("# " + s.key() + " =") + "# not set");
            } else {
                out.println(pad(s.key() + " = " + toml(s, values)) + "# " + origin);
            }
        }
    }

    /** The text values in effect, as given (not converted: {@code 30s} stays {@code 30s}); {@code null} when unset. */
    private static List<String> values(SettingsProvider provider, Setting s, SettingsProvider.Source source) {
        OptionSpec o = s.option();
        if (o.type() == boolean.class || o.type() == Boolean.class) {
            Object v = o.getValue();
            return v == null ? null : List.of(v.toString());
        }
        if (source == SettingsProvider.Source.FLAG) {
            List<String> given = o.stringValues();
            if (!o.isMultiValue()) {
                return given.isEmpty() ? null : List.of(given.get(given.size() - 1));
            }
            List<String> all = new ArrayList<>();
            given.forEach(g -> all.addAll(split(o, g)));
            return all;
        }
        String text = provider.defaultValue(o); // environment or file
        if (text == null) {
            text = o.defaultValue(); // the declared default
        }
        if (text == null || text.equals(picocli.CommandLine.Option.NULL_VALUE)) {
            return null;
        }
        return o.isMultiValue() ? split(o, text) : List.of(text);
    }

    private static List<String> split(OptionSpec o, String text) {
        List<String> out = new ArrayList<>();
        for (String part : o.splitRegex().isEmpty() ? new String[] {text} : text.split(o.splitRegex())) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static String toml(Setting s, List<String> values) {
        OptionSpec o = s.option();
        if (o.isMultiValue()) {
            List<String> items = new ArrayList<>();
            values.forEach(v -> items.add(quoted(Secrets.mask(s.key(), v))));
            return "[" + String.join(", ", items) + "]";
        }
        String v = Secrets.mask(s.key(), values.get(0));
        Class<?> type = o.type();
        boolean bare = type == boolean.class || type == Boolean.class
                || (type == int.class || type == long.class || type == Integer.class || type == Long.class)
                && v.matches("-?[0-9]+");
        return bare && !Objects.equals(v, Secrets.MASK) ? v : quoted(v);
    }

    /** A TOML basic string. */
    static String quoted(String v) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String pad(String s) {
        return s.length() >= VALUE_COLUMN ? s + "  " : s + " ".repeat(VALUE_COLUMN - s.length());
    }
}
