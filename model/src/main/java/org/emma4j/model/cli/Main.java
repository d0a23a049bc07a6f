package org.emma4j.model.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The emma4j command line: one subcommand per job (run by the {@code ./emma4j} launcher). */
@Command(name = "emma4j", mixinStandardHelpOptions = true, version = "emma4j 0.1.0",
        description = "Continual pre-training and evaluation of Llama 3 models on multilingual data, in pure Java.",
        subcommands = {InfoCommand.class, InitCommand.class, GenerateCommand.class, TokenizeCommand.class, TrainCommand.class,
                EvalCommand.class, ScoreCommand.class, CompareCommand.class,
                PrepareCommand.class, TokenizerTrainCommand.class, UdhrConvertCommand.class, DemoCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as {@link #main} runs it: a failing command reports one line, {@code emma4j <command>:
     * <message>}, and exits 1 (with the stack trace too when {@code EMMA4J_DEBUG} is set). Tests run commands
     * through this, so they see exactly the errors users see.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    cmd.getErr().println("emma4j " + cmd.getCommandName() + ": " + ex.getMessage());
                    if (System.getenv("EMMA4J_DEBUG") != null) {
                        ex.printStackTrace(cmd.getErr());
                    }
                    return 1;
                });
    }
}
