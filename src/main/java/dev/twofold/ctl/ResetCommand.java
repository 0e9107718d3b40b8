package dev.twofold.ctl;

import picocli.CommandLine.Command;

@Command(
        name = "reset",
        mixinStandardHelpOptions = true,
        description = {
            "Turns two-factor authentication off (helpdesk reset after a lost authenticator).",
            "The seed, recovery codes and trusted devices are destroyed; app passcodes stay valid."
        })
final class ResetCommand extends AccountCommand {

    @Override
    public Integer call() {
        api.client().delete(accountPath() + "/two-factor");
        api.output().done("two-factor authentication is off for " + account);
        return ExitCodes.OK;
    }
}
