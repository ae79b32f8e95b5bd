package dev.herald.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Where {@code herald serve}'s options take their values from when they are not on the command line:
 * the environment variable of the {@link Setting}, else the configuration file ({@code --config FILE}
 * or {@code HERALD_CONFIG}), else the option's declared default. So the precedence is
 * <b>flag &gt; {@code HERALD_*} environment &gt; file &gt; default</b>, for every option, including
 * those added later: the provider works from the picocli model alone.
 *
 * <p>picocli applies defaults after the command line is parsed, and only to options it did not see,
 * so {@code --config} is known when the first default is asked for. A file that cannot be used is not
 * reported from inside the parser (picocli would print the whole usage after it): {@link #check()}
 * throws the {@link ConfigurationException} once the command runs.
 *
 * <p>Not thread-safe: used by one parse, then read by the command it configured.
 */
final class SettingsProvider implements IDefaultValueProvider {

    /** The variable naming the configuration file when {@code --config} is not given. */
    static final String CONFIG_ENV = "HERALD_CONFIG";
    /**
     * {@code HERALD_} variables that are not options of {@code herald serve} but are meant for Herald:
     * read by the other commands, by the tests, or by Kubernetes (a Service named {@code herald} gives
     * every pod {@code HERALD_SERVICE_HOST}, {@code HERALD_PORT_8080_TCP} and so on).
     */
    static final Pattern OTHER_HERALD_ENV = Pattern.compile("HERALD_(REQUIRE_ALL_TESTS|SERVICE_.*|PORT(_.*)?)");

    /** Where a value came from, for {@code --print-config}. Immutable (an enum). */
    enum Source { FLAG, ENV, FILE, DEFAULT }

    private final CommandSpec spec;
    private final Map<String, String> env;
    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<OptionSpec, Source> sources = new IdentityHashMap<>();
    private Map<String, String> file;
    private Path filePath;
    private ConfigurationException problem;

    private SettingsProvider(CommandSpec spec, Map<String, String> env) {
        this.spec = spec;
        this.env = env;
        for (Setting s : Setting.of(spec)) {
            settings.put(s.key(), s);
        }
    }

    /** Makes {@code command}'s options read {@code env} and the configuration file. */
    static void install(CommandLine command, Map<String, String> env) {
        command.setDefaultValueProvider(new SettingsProvider(command.getCommandSpec(), Map.copyOf(env)));
    }

    /** The provider {@link #install} gave {@code spec}'s command. */
    static SettingsProvider of(CommandSpec spec) {
        if (spec.defaultValueProvider() instanceof SettingsProvider p) {
            return p;
        }
        throw new IllegalStateException("no SettingsProvider installed on " + spec.qualifiedName());
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        if (option.longestName().equals("--config")) {
            String file = env.get(CONFIG_ENV);
            return file == null || file.isEmpty() ? null : file;
        }
        Setting setting = settings.get(Setting.of(option).key());
        if (setting == null) {
            return null;
        }
        String fromEnv = env.get(setting.envName());
        if (fromEnv != null && !fromEnv.isEmpty()) {
            sources.put(option, Source.ENV);
            return fromEnv;
        }
        String fromFile = file().get(setting.key());
        if (fromFile != null) {
            sources.put(option, Source.FILE);
            return fromFile;
        }
        if (fromEnv != null) {
            // set but empty counts as unset: the declared default, not the empty text a ${env:...} default would expand to
            return setting.declaredDefault() != null ? setting.declaredDefault() : Option.NULL_VALUE;
        }
        return null;
    }

    /** The file's settings, read the first time they are needed; empty without a file or when it is unusable. */
    private Map<String, String> file() {
        Path path = configPath();
        // picocli asks for the default of a boolean flag when it matches it, before a later --config is
        // parsed: read again once the path is known, or `serve --dev --config f` would ignore f
        if (file == null || !java.util.Objects.equals(path, filePath)) {
            file = Map.of();
            filePath = path;
            problem = null;
            if (path != null) {
                try {
                    file = ConfigFile.read(path, settings);
                } catch (ConfigurationException e) {
                    problem = e;
                }
            }
        }
        return file;
    }

    private Path configPath() {
        OptionSpec config = spec.findOption("--config");
        Object given = config == null ? null : config.getValue();
        if (given != null) {
            return Path.of(given.toString());
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : Path.of(fromEnv);
    }

    /** @throws ConfigurationException if the configuration file could not be used */
    void check() {
        file();
        if (problem != null) {
            throw problem;
        }
    }

    /** The configuration file read, or {@code null}. */
    Path filePath() {
        file();
        return filePath;
    }

    List<Setting> settings() {
        return List.copyOf(settings.values());
    }

    /** Where {@code setting}'s value came from in the parse that just ran. */
    Source source(Setting setting) {
        if (spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(setting.option())) {
            return Source.FLAG;
        }
        return sources.getOrDefault(setting.option(), Source.DEFAULT);
    }

    /**
     * Where the value of {@code arg} that failed came from, for an error message: {@code " (from
     * HERALD_X)"}, {@code " (from FILE)"}, or empty for the command line or a command without this provider.
     */
    static String originOf(CommandSpec spec, ArgSpec arg) {
        if (!(spec.defaultValueProvider() instanceof SettingsProvider p) || !(arg instanceof OptionSpec o)) {
            return "";
        }
        return switch (p.sources.getOrDefault(o, Source.DEFAULT)) {
            case ENV -> " (from " + Setting.of(o).envName() + ")";
            case FILE -> " (from " + p.filePath + ")";
            default -> "";
        };
    }

    /**
     * The {@code HERALD_} variables set in the environment that no setting or other command reads,
     * each with a suggestion when one is close: probably misspelt, and then silently without effect.
     */
    List<String> unknownEnvironment() {
        Set<String> known = new TreeSet<>();
        known.add(CONFIG_ENV);
        for (Setting s : settings.values()) {
            known.add(s.envName());
        }
        CommandSpec root = spec.root();
        collectEnvNames(root, known);
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith("HERALD_") && !known.contains(name) && !OTHER_HERALD_ENV.matcher(name).matches()) {
                unknown.add(name + Suggestions.didYouMean(name, known));
            }
        }
        return unknown;
    }

    /** The variables every command's options read, so that {@code HERALD_TOKEN} (for publish) is not flagged. */
    private static void collectEnvNames(CommandSpec command, Set<String> names) {
        for (OptionSpec o : command.options()) {
            String name = Setting.declaredEnv(o);
            if (name != null) {
                names.add(name);
            }
        }
        for (CommandLine sub : command.subcommands().values()) {
            collectEnvNames(sub.getCommandSpec(), names);
        }
    }
}
