package dev.twofold.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Prints everything Twofold stores about the account as JSON (no secret), e.g. for a GDPR request.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ACCOUNT", description = "The account id (the mail login).")
    String account;

    @Override
    public Integer call() {
        api.output().document(api.client().get(Paths.account(account) + "/export"));
        return ExitCodes.OK;
    }
}
