package dev.twofold.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "reset",
        mixinStandardHelpOptions = true,
        description = {
            "Turns two-factor authentication off (helpdesk reset after a lost authenticator).",
            "The seed, recovery codes and trusted devices are destroyed; app passcodes stay valid."
        })
final class ResetCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "ACCOUNT", description = "The account id (the mail login).")
    String account;

    @Override
    public Integer call() {
        api.client().delete(Paths.account(account) + "/two-factor");
        api.output().done("two-factor authentication is off for " + account);
        return ExitCodes.OK;
    }
}
