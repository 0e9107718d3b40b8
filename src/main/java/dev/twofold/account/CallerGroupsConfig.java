package dev.twofold.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "twofold.caller-groups")
interface CallerGroupsConfig {

    /** Token group of helpdesk and admin tools: any account, no step-up. */
    @WithDefault("twofold-admin")
    String admin();

    /** Token group of mail servers and proxies: mail-auth and second-factor verification only. */
    @WithDefault("twofold-mail-server")
    String mailServer();
}
