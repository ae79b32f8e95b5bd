package dev.herald.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code herald} command. Exit codes, the same for every subcommand so scripts can rely on them:
 * {@value #EXIT_OK} success; {@value #EXIT_REFUSED} refused by the hub (4xx, 401, 403) or another
 * failure; {@value #EXIT_USAGE} bad usage or configuration; {@value #EXIT_UNREACHABLE} hub unreachable;
 * {@value #EXIT_HUB_ERROR} the hub failed (5xx) or answered something unexpected.
 */
@Command(name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Herald: a Server-Sent Events hub speaking the Mercure protocol.",
        subcommands = {ServeCommand.class, PublishCommand.class, SubscribeCommand.class, TokenCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "Exit codes: 0 ok; 1 refused by the hub (4xx, 401, 403); 2 bad usage or",
                "configuration; 3 hub unreachable; 4 hub failed (5xx). herald bench: 0 run",
                "completed; 1 could not run (hub unreachable included); 2 bad usage."})
public final class HeraldCommand implements Runnable {

    /** Exit code for success. */
    public static final int EXIT_OK = 0;
    /** Exit code for a refusal by the hub (4xx), or a runtime failure with no code of its own. */
    public static final int EXIT_REFUSED = 1;
    /** Exit code for bad usage or configuration: nothing was sent to a hub. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for a hub that cannot be reached: connection refused, unknown host, timeout, TLS failure. */
    public static final int EXIT_UNREACHABLE = 3;
    /** Exit code for a hub that failed: 5xx, or not an event stream where one was expected. */
    public static final int EXIT_HUB_ERROR = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (shared by {@link #main} and the tests), reading the process environment. */
    public static CommandLine newCommandLine() {
        return newCommandLine(System.getenv());
    }

    /** The configured command line, {@code herald serve} reading its settings from {@code env} and its config file. */
    static CommandLine newCommandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new HeraldCommand());
        SettingsProvider.install(cl.getSubcommands().get("serve"), env);
        cl.setExitCodeExceptionMapper(e -> e instanceof HubCallException h ? h.exitCode()
                : e instanceof ConfigurationException || e instanceof CommandLine.ParameterException ? EXIT_USAGE
                : EXIT_REFUSED);
        cl.setParameterExceptionHandler((ex, args) -> {
            // one line and a pointer to --help, rather than the whole usage after the message
            CommandLine c = ex.getCommandLine();
            c.getErr().println("herald: " + ex.getMessage() + SettingsProvider.originOf(c.getCommandSpec(), ex.getArgSpec()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // one line, no stack trace: the message says what is wrong and what to do
            commandLine.getErr().println("herald: " + ex.getMessage());
            return commandLine.getExitCodeExceptionMapper().getExitCode(ex);
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
