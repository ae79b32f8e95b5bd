package dev.herald.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * One option of a command seen as a configuration setting: its key in the configuration file (the
 * option's long name without {@code --}: {@code --max-data-bytes} → {@code max-data-bytes}), its
 * environment variable, and the default its declaration gives.
 *
 * <p>Everything is derived from the picocli declaration, so a new option of {@code herald serve} is a
 * setting with a key, a variable and a documented default without any other line of code: the variable
 * is the one its {@code defaultValue} reads ({@code ${env:HERALD_PUBLISHER_ISSUERS}}), or else
 * {@code HERALD_} and the key in upper case with {@code _} for {@code -} ({@code HERALD_MAX_DATA_BYTES}).
 *
 * <p>Immutable and thread-safe.
 */
record Setting(OptionSpec option, String key, String envName, String declaredDefault) {

    /** Options of {@code herald serve} that select or show the configuration instead of being part of it. */
    static final Set<String> NOT_SETTINGS = Set.of("--config", "--print-config");

    /** What picocli's annotation holds when no {@code defaultValue} was written. */
    private static final String NO_DEFAULT = "__no_default_value__";
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-(.*))?}");

    /** The settings of {@code spec}: every option but help, version and {@link #NOT_SETTINGS}, in declaration order. */
    static List<Setting> of(CommandSpec spec) {
        List<Setting> settings = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.usageHelp() && !o.versionHelp() && !NOT_SETTINGS.contains(o.longestName())) {
                settings.add(of(o));
            }
        }
        return settings;
    }

    /** The variable {@code o}'s {@code defaultValue} reads ({@code ${env:NAME...}}), or {@code null}. */
    static String declaredEnv(OptionSpec o) {
        String declared = declaredDefaultValue(o);
        Matcher m = declared == null ? null : ENV_DEFAULT.matcher(declared);
        return m != null && m.matches() ? m.group(1) : null;
    }

    static Setting of(OptionSpec o) {
        String key = o.longestName().replaceFirst("^-+", "");
        String declared = declaredDefaultValue(o);
        String env = envName(key);
        String fallback = declared;
        if (declared != null) {
            Matcher m = ENV_DEFAULT.matcher(declared);
            if (m.matches()) {
                env = m.group(1);
                fallback = m.group(2);
            }
        }
        if (fallback == null && o.initialValue() != null && !o.isMultiValue()) {
            fallback = String.valueOf(o.initialValue()); // false for a flag, 0 for a number
        }
        return new Setting(o, key, env, fallback);
    }

    /** {@code HERALD_} and the key in upper case, {@code -} as {@code _}. */
    static String envName(String key) {
        return "HERALD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The {@code defaultValue} as written in the annotation (picocli's own accessor has variables expanded). */
    private static String declaredDefaultValue(OptionSpec o) {
        if (o.userObject() instanceof Field f) {
            Option annotation = f.getAnnotation(Option.class);
            if (annotation != null) {
                String v = annotation.defaultValue();
                return NO_DEFAULT.equals(v) || Option.NULL_VALUE.equals(v) ? null : v;
            }
        }
        return o.defaultValue();
    }
}
