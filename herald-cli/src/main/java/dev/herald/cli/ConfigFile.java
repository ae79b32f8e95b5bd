package dev.herald.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code herald serve}'s configuration file: TOML (v1.0), one {@code key = value} per setting,
 * the keys being the options' long names without {@code --}:
 *
 * <pre>
 * addr = ":8080"
 * publisher-jwt-key = "@/run/secrets/herald-key"
 * cors-origins = ["https://app.example.com", "https://admin.example.com"]
 * history-max-age = "2d"
 * max-connections = 50000
 * </pre>
 *
 * Values are TOML strings, integers or booleans, or arrays of them for options that may be repeated;
 * each becomes the text the option would be given on the command line, so a file value is converted
 * and checked exactly like a flag. Unknown keys, tables and arrays for single-valued options are
 * refused with a message naming them. Stateless and thread-safe.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /**
     * The file's settings, as command-line text by key.
     *
     * @param settings the command's settings by key
     * @throws ConfigurationException if the file cannot be read, is not TOML, or has unknown keys or
     *         values of the wrong shape
     */
    static Map<String, String> read(Path file, Map<String, Setting> settings) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigurationException(file + ": not valid TOML: " + e.getOriginalMessage()
                    + (e.getLocation() != null && e.getLocation().getLineNr() > 0 ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigurationException("--config: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Setting setting = settings.get(field.getKey());
            if (setting == null) {
                unknown.add(field.getKey() + Suggestions.didYouMean(field.getKey(), settings.keySet()));
                continue;
            }
            values.put(field.getKey(), text(file, setting, field.getValue()));
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(file + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (expected: the long names of herald serve's options, "
                    + "see herald serve --help)");
        }
        return values;
    }

    /** The command-line text of one value: a scalar as is, an array joined as the option splits it. */
    private static String text(Path file, Setting setting, JsonNode value) {
        String key = setting.key();
        if (value.isArray()) {
            if (!setting.option().isMultiValue()) {
                throw new ConfigurationException(file + ": " + key + " is an array (expected: one value)");
            }
            if (setting.option().splitRegex().isEmpty() && value.size() == 1) {
                return scalar(file, key, value.get(0)); // a repeatable option without a separator takes one value here
            }
            String separator = separator(setting);
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                String s = scalar(file, key, item);
                if (s.contains(separator) || separator.equals(" ") && s.isBlank()) {
                    throw new ConfigurationException(file + ": " + key + ": '" + Secrets.mask(key, s)
                            + "' contains '" + separator + "', which separates its values");
                }
                items.add(s);
            }
            return String.join(separator, items);
        }
        return scalar(file, key, value);
    }

    private static String scalar(Path file, String key, JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber() || value.isBoolean()) {
            return value.asText();
        }
        String shape = value.isObject() ? "a table" : value.isArray() ? "a nested array" : "a " + value.getNodeType()
                .name().toLowerCase(java.util.Locale.ROOT);
        throw new ConfigurationException(file + ": " + key + " is " + shape
                + " (expected: a string, an integer or a boolean; the file has no sections)");
    }

    /** The text that joins an array's items so that the option's split pattern separates them again. */
    private static String separator(Setting setting) {
        String regex = setting.option().splitRegex();
        for (String candidate : new String[] {",", " ", ";", "|"}) {
            if (!regex.isEmpty() && candidate.matches(regex)) {
                return candidate;
            }
        }
        throw new ConfigurationException(setting.key() + ": takes one value in a configuration file (expected: [\"VALUE\"])");
    }
}
