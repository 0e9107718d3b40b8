package dev.twofold.ctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one account: the API options, the ACCOUNT argument and the account's API path. */
abstract class AccountCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account id (the mail login).")
    String account;

    /** {@code /v1/accounts/{account}}, the account id as one path segment. */
    String accountPath() {
        return "/v1/accounts/" + TwofoldClient.segment(account);
    }
}
