package dev.twofold.passcode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/** Limits and life-cycle rules of app passcodes (their use is judged by {@code PasscodeUsePolicy}). */
@ConfigMapping(prefix = "twofold.app-passcodes")
interface AppPasscodeConfig {

    /** Active passcodes one account may hold (Zimbra's default is 25). */
    @WithDefault("25")
    @Positive
    int maxPerAccount();

    /** Revoke all of an account's passcodes when the directory reports a primary password change. */
    @WithDefault("true")
    boolean revokeOnPasswordChange();

    /** How often expired passcodes are marked revoked (with a passcode-expired event). */
    @WithDefault("5M")
    Duration expirySweepInterval();
}
