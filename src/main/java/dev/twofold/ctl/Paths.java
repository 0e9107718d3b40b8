package dev.twofold.ctl;

/** The API paths the commands share. */
final class Paths {

    private Paths() {}

    static String account(String accountId) {
        return "/v1/accounts/" + TwofoldClient.segment(accountId);
    }
}
