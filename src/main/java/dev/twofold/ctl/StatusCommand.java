package dev.twofold.ctl;

import picocli.CommandLine.Command;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows whether two-factor authentication is on, the codes and passcodes left, and any lockout.")
final class StatusCommand extends AccountCommand {

    @Override
    public Integer call() {
        api.output().record(api.client().get(accountPath() + "/two-factor"));
        return ExitCodes.OK;
    }
}
