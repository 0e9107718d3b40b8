package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.network.IpAddresses;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.throttle.FailureThrottle;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Throttles failed mail logins per (account, client network) and per client network, never per
 * account alone: an attacker hammering an account from some networks blocks only those networks,
 * and the owner's devices elsewhere keep working. A secret that is a usable passcode of the account
 * is never throttled at all ({@link MailLoginService} asks only after the secret matched no row), so
 * a working device keeps working even behind the attacker's address, cached or not. A client network
 * is the IP for IPv4 and the /64 for IPv6.
 * Without a client IP only the per-account key applies (all such logins share it).
 */
@ApplicationScoped
class LoginThrottle {

    private final FailureThrottle perAccountAndNetwork;
    private final FailureThrottle perNetwork;
    private final MailAuthMetrics metrics;

    LoginThrottle(MailAuthConfig config, Clock clock, MailAuthMetrics metrics) {
        MailAuthConfig.Throttle throttle = config.throttle();
        this.perAccountAndNetwork = new FailureThrottle(
                throttle.accountIpFailures(), throttle.accountIpWindow(), throttle.maxTracked(), clock);
        this.perNetwork = new FailureThrottle(throttle.ipFailures(), throttle.ipWindow(), throttle.maxTracked(), clock);
        this.metrics = metrics;
    }

    /** Fails with {@code too-many-attempts} (and how long to wait) while either key is blocked. */
    void check(AccountId account, Optional<InetAddress> clientIp) {
        Optional<String> network = clientIp.map(IpAddresses::network);
        Optional<Duration> wait = perAccountAndNetwork.blockedFor(pairKey(account, network));
        String scope = "account-ip";
        if (wait.isEmpty() && network.isPresent()) {
            wait = perNetwork.blockedFor(network.get());
            scope = "ip";
        }
        if (wait.isPresent()) {
            metrics.throttled(scope);
            throw new ProblemException(
                    ProblemType.TOO_MANY_ATTEMPTS,
                    "Too many failed logins for this account or client; try again later.",
                    wait.get());
        }
    }

    void failed(AccountId account, Optional<InetAddress> clientIp) {
        Optional<String> network = clientIp.map(IpAddresses::network);
        perAccountAndNetwork.recordFailure(pairKey(account, network));
        network.ifPresent(perNetwork::recordFailure);
    }

    private static String pairKey(AccountId account, Optional<String> network) {
        // A NUL cannot occur in an account id, so keys of different accounts never collide.
        return account.value() + '\0' + network.orElse("-");
    }
}
