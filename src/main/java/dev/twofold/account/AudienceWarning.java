package dev.twofold.account;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Makes a production start that accepts bearer tokens issued to any application impossible to miss. */
class AudienceWarning {

    private static final Logger LOG = Logger.getLogger(AudienceWarning.class);

    void onStart(@Observes StartupEvent event, JWTAuthContextInfo tokens) {
        warning(LaunchMode.current(), tokens.getExpectedAudience()).ifPresent(LOG::warn);
    }

    /** The warning for a start in {@code mode} that expects these token audiences, if one is due. */
    static Optional<String> warning(LaunchMode mode, Set<String> expectedAudiences) {
        if (mode != LaunchMode.NORMAL || (expectedAudiences != null && !expectedAudiences.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of("mp.jwt.verify.audiences (MP_JWT_VERIFY_AUDIENCES) is NOT SET: every token the IdP"
                + " issues to ANY application is accepted here. A token another application received for a user"
                + " (same sub, recent auth_time) can then create app passcodes and turn off two-factor"
                + " authentication for that user. Set it to the audience your IdP puts into tokens for Twofold.");
    }
}
