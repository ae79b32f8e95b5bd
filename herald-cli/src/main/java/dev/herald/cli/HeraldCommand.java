package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code herald} command. Exit codes: 0 success, 1 runtime failure (hub unreachable, refused),
 * 2 bad usage or configuration.
 */
@Command(name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Herald: a Server-Sent Events hub speaking the Mercure protocol.",
        subcommands = {ServeCommand.class, TokenCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class HeraldCommand implements Runnable {

    /** Exit code for a runtime failure. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage or configuration. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (shared by {@link #main} and the tests). */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new HeraldCommand());
        cl.setExitCodeExceptionMapper(e -> e instanceof ConfigurationException || e instanceof CommandLine.ParameterException
                ? EXIT_USAGE : EXIT_FAILURE);
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
