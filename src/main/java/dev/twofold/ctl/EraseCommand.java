package dev.twofold.ctl;

import java.io.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        description = {
            "Erases everything Twofold stores about the account (GDPR); cannot be undone.",
            "Factor, codes, passcodes, devices and events go.",
            "Asks for the account id as confirmation unless --yes is given."
        })
final class EraseCommand extends AccountCommand {

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask; required when not attached to a terminal (scripts, CI).")
    boolean yes;

    @Override
    public Integer call() {
        if (!yes && !confirmed()) {
            throw new CommandFailure("not erased: the confirmation did not match " + account, ExitCodes.FAILED);
        }
        api.client().delete("/v1/admin/accounts/" + TwofoldClient.segment(account));
        api.output().done("erased " + account);
        return ExitCodes.OK;
    }

    private boolean confirmed() {
        Console console = System.console();
        if (console == null) {
            // Without a terminal nobody can answer: a script must say --yes rather than hang or guess.
            throw api.usageError("no terminal to confirm on: pass --yes to erase " + account);
        }
        console.writer().print("Erase everything about " + account + "? Type the account id to confirm: ");
        console.flush();
        String answer = console.readLine();
        return answer != null && answer.strip().equals(account);
    }
}
