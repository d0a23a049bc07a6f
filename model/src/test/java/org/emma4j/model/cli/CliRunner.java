package org.emma4j.model.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The CLI as {@link Main} runs it (errors reported as one line), with its stdout and stderr kept for assertions. */
final class CliRunner {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs one command line; returns its exit code. */
    int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** Everything the runs so far wrote to stdout (since the last {@link #clearOut}). */
    String out() {
        return out.toString();
    }

    void clearOut() {
        out.getBuffer().setLength(0);
    }

    /** Everything the runs so far wrote to stderr. */
    String err() {
        return err.toString();
    }
}
