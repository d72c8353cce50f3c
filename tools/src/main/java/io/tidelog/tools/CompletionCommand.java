package io.tidelog.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidelog completion}: the bash/zsh completion script picocli generates from the command tree. */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = TidelogVersion.class,
        description = {"Print a bash (and zsh) completion script for tidelog.",
                "Use: source <(tidelog completion), or save it to /etc/bash_completion.d/tidelog."})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("tidelog", spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
