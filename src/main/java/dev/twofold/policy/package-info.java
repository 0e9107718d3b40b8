/** Domain policies: per-domain rules for two-factor authentication, mail passwords and app passcodes. */
package dev.twofold.policy;
