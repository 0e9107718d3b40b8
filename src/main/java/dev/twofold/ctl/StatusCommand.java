package dev.twofold.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows whether two-factor authentication is on, the codes and passcodes left, and any lockout.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ACCOUNT", description = "The account id (the mail login).")
    String account;

    @Override
    public Integer call() {
        api.output().record(api.client().get(Paths.account(account) + "/two-factor"));
        return ExitCodes.OK;
    }
}
