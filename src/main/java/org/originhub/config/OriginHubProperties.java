package org.originhub.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything that differs between deployments, under {@code originhub.*}: the parties this hub serves, the
 * partners it exchanges with, its broker and its limits. Bound once and validated at start-up; an unknown or
 * invalid key stops the hub with a message naming it.
 */
@Validated
@ConfigurationProperties(prefix = "originhub", ignoreUnknownFields = false)
public record OriginHubProperties(
        @NotEmpty Map<@Pattern(regexp = "[A-Z]{2}", message = "party keys are ISO 3166-1 alpha-2 codes") String, @Valid @NotNull Party> parties,
        @NotNull Map<@Pattern(regexp = "[A-Z]{2}", message = "partner keys are ISO 3166-1 alpha-2 codes") String, @Valid @NotNull Partner> partners,
        @Valid @NotNull @DefaultValue Queues queues,
        @Valid @NotNull @DefaultValue Broker broker,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Inbound inbound,
        @Valid @NotNull @DefaultValue Operator operator,
        @Valid @NotNull @DefaultValue History history,
        @Valid @NotNull @DefaultValue Health health,
        @Valid @NotNull @DefaultValue Demo demo) {

    /** A party this hub serves: a national single window, its format and its signing key. */
    public record Party(
            @NotBlank String format,
            List<String> alsoAccepts,
            Map<String, String> formatOptions,
            @Valid @NotNull Signing signing,
            String outbox,
            String inbox,
            String authorityId,
            String name) {
        public Party {
            formatOptions = formatOptions == null ? Map.of() : Map.copyOf(formatOptions);
            alsoAccepts = alsoAccepts == null ? List.of() : List.copyOf(alsoAccepts);
        }

        public String outboxQueue(String country) {
            return outbox == null || outbox.isBlank() ? country + ".sw.outbox" : outbox;
        }

        public String inboxQueue(String country) {
            return inbox == null || inbox.isBlank() ? country + ".sw.inbox" : inbox;
        }
    }

    /** The party's PKCS12 keystore (a Spring resource string) and the alias of its signing key. */
    public record Signing(@NotBlank String keystore, @NotBlank String alias, @NotBlank String password) {
        @Override
        public String toString() {
            return "Signing[keystore=" + keystore + ", alias=" + alias + ", password=****]";
        }
    }

    /**
     * A partner administration: where to send its messages, and the certificates it signs with. Every operation on its
     * broker is bounded: {@code connectTimeout} (TCP, TLS, SASL, AMQP open, and the session and link attach),
     * {@code sendTimeout} (from the transfer to the partner's outcome: a partner that never settles fails the attempt,
     * which enters the retry schedule) and {@code closeTimeout} (closing a connection after a failure or at shutdown).
     */
    public record Partner(
            @NotBlank String amqpUrl,
            @NotBlank @DefaultValue("hub.inbound") String address,
            String username,
            String password,
            @NotEmpty List<@NotBlank String> certificates,
            @DefaultValue("true") boolean enabled,
            @Valid @NotNull @DefaultValue Retry retry,
            @NotNull @DurationMin(millis = 100) @DefaultValue("15s") Duration connectTimeout,
            @NotNull @DurationMin(millis = 100) @DefaultValue("30s") Duration sendTimeout,
            @NotNull @DurationMin(millis = 100) @DefaultValue("5s") Duration closeTimeout) {
        @Override
        public String toString() {
            return "Partner[amqpUrl=" + amqpUrl + ", address=" + address + ", username=" + username + ", password=****]";
        }
    }

    /**
     * How the forwarding route retries a partner that does not take a message. Defaults: 1 s doubling to 5 min,
     * 0 attempts = retry while queueing (a partner outage must not dead-letter a valid CO).
     */
    public record Retry(
            @NotNull @DefaultValue("1s") Duration initialDelay,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @NotNull @DefaultValue("5m") Duration maxDelay,
            @Min(0) @DefaultValue("0") int maxAttempts) {
    }

    /** Names of the hub's internal queues and of its dead-letter queues. */
    public record Queues(
            @NotBlank @DefaultValue("hub.outbound") String outbound,
            @NotBlank @DefaultValue("hub.inbound") String inbound,
            @NotBlank @DefaultValue("hub.verified") String verified,
            @NotBlank @DefaultValue("partner.") String partnerPrefix,
            @NotBlank @DefaultValue("DLQ.") String deadLetterPrefix,
            @Min(1) @DefaultValue("1") int concurrentConsumers) {
        public String partnerQueue(String country) {
            return partnerPrefix + country + ".out";
        }

        public String deadLetterQueue(String input) {
            return deadLetterPrefix + input;
        }
    }

    /**
     * The hub's ActiveMQ Artemis broker and its accounts (other than the hub's own): embedded (the default), or an
     * external one ({@code embedded: false}, reached through {@code spring.artemis.broker-url}) that the hub checks and,
     * with {@code provision} (the default), gives its queues, their settings and rights at start-up
     * ({@code org.originhub.broker.ExternalBrokerProvisioning}). For an external broker the accounts' passwords are the
     * broker's business; their roles and bindings still tell the hub who may speak for whom.
     */
    public record Broker(
            @DefaultValue("true") boolean embedded,
            @NotBlank @DefaultValue("origin-hub") String name,
            @Min(0) @DefaultValue("0") int inVmId,
            @NotBlank @DefaultValue("127.0.0.1") String host,
            @Min(0) @DefaultValue("61616") int corePort,
            @Min(0) @DefaultValue("5672") int amqpPort,
            @NotBlank @DefaultValue("data/broker") String dataDirectory,
            @DefaultValue("true") boolean persistent,
            @NotBlank @DefaultValue("hub") String hubUser,
            String hubPassword,
            Map<String, @Valid Account> accounts,
            @Min(1) @DefaultValue("10") int maxDeliveryAttempts,
            @NotNull @DurationMin(millis = 0) @DefaultValue("1s") Duration redeliveryDelay,
            @NotNull @DurationMin(millis = 0) @DefaultValue("60s") Duration maxRedeliveryDelay,
            @Valid @NotNull @DefaultValue AmqpTls amqpTls,
            @DefaultValue("true") boolean provision) {
        public Broker {
            accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
            if (embedded) {
                // The embedded broker creates the accounts; an external broker keeps their passwords itself.
                accounts.forEach((account, a) -> {
                    if (a != null && (a.password() == null || a.password().isBlank())) {
                        throw new IllegalArgumentException("originhub.broker.accounts." + account + ".password is required "
                                + "with the embedded broker (originhub.broker.embedded=true), which creates the account");
                    }
                });
            }
            if (redeliveryDelay != null && maxRedeliveryDelay != null && maxRedeliveryDelay.compareTo(redeliveryDelay) < 0) {
                throw new IllegalArgumentException("originhub.broker.max-redelivery-delay (" + maxRedeliveryDelay
                        + ") is shorter than originhub.broker.redelivery-delay (" + redeliveryDelay + ")");
            }
        }

        /**
         * How long a hop that rolled back holds its message before it is tried again: {@code redelivery-delay} after
         * the first attempt, doubling with each further attempt, at most {@code max-redelivery-delay}.
         */
        public Duration redeliveryDelayAfter(int attempts) {
            long ms = redeliveryDelay.toMillis();
            for (int i = 1; i < attempts && ms < maxRedeliveryDelay.toMillis(); i++) {
                ms *= 2;
            }
            return Duration.ofMillis(Math.min(ms, maxRedeliveryDelay.toMillis()));
        }

        @Override
        public String toString() {
            return "Broker[embedded=" + embedded + ", provision=" + provision + ", host=" + host + ", corePort=" + corePort + ", amqpPort=" + amqpPort + "]";
        }
    }

    /**
     * TLS on the AMQP acceptor partners connect to: the broker's own key (PKCS12) and, for mutual TLS, the trust store
     * holding the partners' client certificates ({@code client-auth: true} refuses a client without one).
     */
    public record AmqpTls(
            @DefaultValue("false") boolean enabled,
            String keystore,
            String keystorePassword,
            String truststore,
            String truststorePassword,
            @DefaultValue("false") boolean clientAuth) {
        @Override
        public String toString() {
            return "AmqpTls[enabled=" + enabled + ", keystore=" + keystore + ", truststore=" + truststore + ", clientAuth=" + clientAuth + "]";
        }
    }

    /**
     * A broker account: a partner's hub (may only send to the inbound address, and only messages of the partners it
     * names in {@code partners}) or a party's single window (sends to its outbox, reads its inbox). The password is
     * required with the embedded broker, which creates the account; an external broker's accounts and passwords are
     * its operator's, and the hub needs only the role and bindings.
     */
    public record Account(String password, @NotNull AccountRole role, String party,
                          List<@Pattern(regexp = "[A-Z]{2}", message = "partners are ISO 3166-1 alpha-2 codes") String> partners) {
        public Account {
            partners = partners == null ? List.of() : List.copyOf(partners);
        }

        @Override
        public String toString() {
            return "Account[role=" + role + ", party=" + party + ", partners=" + partners + ", password=****]";
        }
    }

    public enum AccountRole { PARTNER, SINGLE_WINDOW }

    /**
     * What the hub accepts from partners, and the party that signs acknowledgements for messages addressed to no
     * party of this hub.
     * <ul>
     * <li>{@code maxMessageAge} (default 7 days): a partner message whose signed Header/CreatedAt is older is refused
     *     ({@code STALE_MESSAGE}). The sending hub keeps retrying while this hub (or the link) is down and a message
     *     keeps its CreatedAt through every retry, so the window must cover a realistic outage: a long weekend plus
     *     the time to notice and fix it. It is also how long the inbound messageId memory is kept (the memory covers
     *     every message that could still be accepted), so a longer window costs only table rows.</li>
     * <li>{@code certificateGrace} (default: the same as {@code maxMessageAge}): besides being valid at CreatedAt, the
     *     signer's certificate must be valid now or have expired less than this long ago, so that a key the partner
     *     retired can no longer sign backdated messages, while a message signed just before its certificate
     *     expired and held up by an outage as long as the age window still gets in. Zero: valid now, no grace.</li>
     * </ul>
     */
    public record Inbound(
            @NotNull @DurationMin(minutes = 1) @DefaultValue("7d") Duration maxMessageAge,
            @DurationMin(seconds = 0) Duration certificateGrace,
            String acknowledgingParty) {
        public Inbound {
            if (certificateGrace == null) {
                certificateGrace = maxMessageAge;
            }
        }
    }

    /** The operators' account for the management endpoints (password from the environment). */
    public record Operator(@NotBlank @DefaultValue("operator") String username, String password) {
        @Override
        public String toString() {
            return "Operator[username=" + username + ", password=****]";
        }
    }

    /**
     * The message history: how long finished messages are kept (a message still in flight is never purged) and how
     * often the purge runs.
     */
    public record History(
            @NotNull @DefaultValue("90d") Duration retention,
            @NotNull @DefaultValue("1h") Duration purgeInterval) {
    }

    /** Health checks: when a signing certificate's expiry starts to warn, and how long a partner probe may take. */
    public record Health(
            @NotNull @DefaultValue("30d") Duration certificateExpiryWarning,
            @NotNull @DefaultValue("5s") Duration partnerProbeTimeout) {
    }

    /** Bounds on what the hub accepts from outside. */
    public record Limits(
            @Min(1024) @DefaultValue("10485760") int maxMessageBytes,
            @Min(8) @DefaultValue("64") int maxXmlDepth) {
    }

    /**
     * Demo mode: creates each party's missing {@code file:} keystore (with its certificate beside it as PEM), and any
     * secret named in {@code secrets} that the environment does not give, kept in {@code secrets-file} (read early by
     * {@link DemoSecrets}). Never in production.
     */
    public record Demo(@DefaultValue("false") boolean enabled,
                       @DefaultValue("data/demo/secrets.properties") String secretsFile,
                       List<String> secrets) {
        public Demo {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }
    }
}
