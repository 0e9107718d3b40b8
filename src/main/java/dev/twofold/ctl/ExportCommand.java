package dev.twofold.ctl;

import picocli.CommandLine.Command;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Prints everything Twofold stores about the account as JSON (no secret), e.g. for a GDPR request.")
final class ExportCommand extends AccountCommand {

    @Override
    public Integer call() {
        api.output().document(api.client().get(accountPath() + "/export"));
        return ExitCodes.OK;
    }
}
