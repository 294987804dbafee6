package org.originhub.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.core.security.Role;
import org.originhub.config.OriginHubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Makes an external ActiveMQ Artemis broker fit to carry the exchange, at start-up and before any route consumes
 * ({@code originhub.broker.embedded=false}): first it checks what only the broker's own {@code broker.xml} can give
 * (the hub's two broker plugins, persisted delivery counts and duplicate ids, security on; {@code config/artemis/}),
 * and refuses to start, naming what is missing, without them: the trust model rests on the broker stamping the
 * authenticated account. Then, through the broker's management API as the hub's account, it declares the queues, their
 * address settings and the rights on them from {@link HubBrokerLayout}, the same as the embedded broker's, by exact
 * queue name (the broker's {@code #} stays its operator's). Each instance does it at start; it is idempotent.
 * The accounts themselves (users and their roles) are the broker operator's: {@link HubBrokerLayout#roleOf} names the
 * role each one needs.
 */
@Component
@ConditionalOnProperty(prefix = "originhub.broker", name = "embedded", havingValue = "false")
public class ExternalBrokerProvisioning {
    private static final Logger log = LoggerFactory.getLogger(ExternalBrokerProvisioning.class);
    private static final long REPLY_TIMEOUT_MS = 30_000;

    /** The broker plugins the hub's guarantees depend on, by class name. */
    public static final List<String> REQUIRED_PLUGINS = List.of(AuthenticatedSender.class.getName(), MessageSizeLimit.class.getName());

    private final ConnectionFactory connectionFactory;
    private final HubBrokerLayout layout;
    private final boolean provision;

    public ExternalBrokerProvisioning(ConnectionFactory connectionFactory, OriginHubProperties props, HubQueues queues) throws Exception {
        this.connectionFactory = connectionFactory instanceof SingleConnectionFactory single && single.getTargetConnectionFactory() != null
                ? single.getTargetConnectionFactory() : connectionFactory;
        this.layout = new HubBrokerLayout(props, queues);
        this.provision = props.broker().provision();
        checkAndProvision();
    }

    private void checkAndProvision() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            connection.start();
            Management management = new Management(session, replies, session.createConsumer(replies));
            List<String> missing = new ArrayList<>();
            Set<String> plugins = strings(management.read("brokerPluginClassNames"));
            REQUIRED_PLUGINS.stream().filter(Predicate.not(plugins::contains))
                    .forEach(p -> missing.add("broker plugin " + p + " (<broker-plugins>, and the hub's broker-plugins jar in the broker's lib/)"));
            requireTrue(management, "securityEnabled", "<security-enabled>true", missing);
            requireTrue(management, "persistIDCache", "<persist-id-cache>true", missing);
            requireTrue(management, "persistDeliveryCountBeforeDelivery", "<persist-delivery-count-before-delivery>true", missing);
            if (!missing.isEmpty()) {
                throw new IllegalStateException("The external broker lacks what Origin Hub needs (config/artemis/broker.xml has it): "
                        + String.join("; ", missing));
            }
            if (!provision) {
                log.info("External broker checked; queues and settings are the broker operator's (originhub.broker.provision=false)");
                return;
            }
            for (Map.Entry<String, org.apache.activemq.artemis.core.settings.impl.AddressSettings> e : layout.addressSettings().entrySet()) {
                management.invoke("addAddressSettings", e.getKey(), e.getValue().toJSON());
            }
            for (QueueConfiguration queue : layout.queueConfigurations()) {
                management.invoke("createQueue", queue.toJSON(), true);
                // A queue that existed before (made by an earlier version, or by hand) gets the hub's attributes too.
                management.invoke("updateQueue", queue.toJSON());
            }
            for (Map.Entry<String, Set<Role>> e : layout.securityRoles(false).entrySet()) {
                Set<Role> roles = e.getValue();
                management.invoke("addSecuritySettings", e.getKey(), names(roles, Role::isSend), names(roles, Role::isConsume),
                        names(roles, Role::isCreateDurableQueue), names(roles, Role::isDeleteDurableQueue),
                        names(roles, Role::isCreateNonDurableQueue), names(roles, Role::isDeleteNonDurableQueue),
                        names(roles, Role::isManage), names(roles, Role::isBrowse), names(roles, Role::isCreateAddress),
                        names(roles, Role::isDeleteAddress), names(roles, Role::isView), names(roles, Role::isEdit));
            }
            log.info("External broker checked and given the hub's {} queues, their settings and rights", layout.queueConfigurations().size());
        }
    }

    private static void requireTrue(Management management, String attribute, String setting, List<String> missing) throws Exception {
        if (!Boolean.TRUE.equals(management.read(attribute))) {
            missing.add(setting);
        }
    }

    private static Set<String> strings(Object result) {
        if (result instanceof Object[] array) {
            return Arrays.stream(array).map(String::valueOf).collect(Collectors.toSet());
        }
        if (result instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        return result == null ? Set.of() : Set.of(String.valueOf(result).replaceAll("[\\[\\]\" ]", "").split(","));
    }

    private static String names(Set<Role> roles, Predicate<Role> right) {
        return roles.stream().filter(right).map(Role::getName).sorted().collect(Collectors.joining(","));
    }

    /** Requests to the broker's management address, one at a time, each answered on a temporary queue. */
    private record Management(Session session, TemporaryQueue replies, jakarta.jms.MessageConsumer answers) {
        Object read(String attribute) throws Exception {
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.BROKER, attribute);
            return call(request, attribute);
        }

        Object invoke(String operation, Object... args) throws Exception {
            Message request = session.createMessage();
            JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, args);
            return call(request, operation + " " + args[0]);
        }

        private Object call(Message request, String what) throws Exception {
            request.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("activemq.management")).send(request);
            Message reply = answers.receive(REPLY_TIMEOUT_MS);
            if (reply == null) {
                throw new IllegalStateException("The external broker did not answer the management request " + what);
            }
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException("The external broker refused " + what + ": " + JMSManagementHelper.getResult(reply));
            }
            return JMSManagementHelper.getResult(reply);
        }
    }
}
