package org.originhub.broker;

import java.nio.charset.StandardCharsets;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.originhub.exchange.HubHeaders;

/**
 * A broker plugin that makes identity come from authentication: on every message an outsider (any account but the
 * hub's own) sends, for every protocol (CORE, AMQP), the broker
 * <ul>
 * <li>removes every property in the hub's name space ({@code OriginHub*}, in any case) and the broker's direct-routing
 * instructions ({@code _AMQ_ROUTE_TO}, {@code _AMQ_ACK_ROUTE_TO}): only the hub sets those;</li>
 * <li>stamps the authenticated account as {@code OriginHubAuthenticatedAccount}, so the hub knows which partner or
 * single window a message came from without believing the message;</li>
 * <li>scopes the duplicate-detection id ({@code _AMQ_DUPL_ID}) by that account ({@code <account>/<id>}), so one
 * sender cannot pre-empt another's message by sending first with the same id, while a sender's own resend is still
 * recognised.</li>
 * </ul>
 * Messages the hub's account sends are left as they are: the hub sets these headers itself (and an operator's replay,
 * which the hub's account performs, keeps the original's stamp). It runs before the broker's duplicate check and
 * routing ({@code beforeSend}). For an external broker, install the same class in its {@code broker.xml}
 * ({@code <broker-plugins>}) with the property {@code hubUser}.
 */
public class AuthenticatedSender implements ActiveMQServerPlugin {
    private static final SimpleString ACCOUNT = SimpleString.of(HubHeaders.AUTHENTICATED_ACCOUNT);

    private String hubUser;

    public AuthenticatedSender() {
    }

    public AuthenticatedSender(String hubUser) {
        this.hubUser = hubUser;
    }

    /** For a broker.xml installation: {@code <property key="hubUser" value="hub"/>}. */
    @Override
    public void init(java.util.Map<String, String> properties) {
        if (properties.containsKey("hubUser")) {
            hubUser = properties.get("hubUser");
        }
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct, boolean noAutoCreateQueue)
            throws ActiveMQException {
        String account = session == null ? null : session.getValidatedUser();
        if (account == null || account.isEmpty()) {
            // Security is always on for the hub's broker: a send without an authenticated account is refused outright.
            throw new ActiveMQSecurityException("Origin Hub: a message without an authenticated sender is refused");
        }
        if (account.equals(hubUser)) {
            return;
        }
        // Nothing in the hub's name space, nor the broker's direct-routing instructions, may come from an outsider.
        for (SimpleString name : java.util.List.copyOf(message.getPropertyNames())) {
            String lower = name.toString().toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("originhub") || lower.startsWith("_amq_route_to") || lower.startsWith("_amq_ack_route_to")) {
                message.removeProperty(name);
            }
        }
        message.putStringProperty(ACCOUNT, SimpleString.of(account));
        Object duplicateId = message.getDuplicateProperty();
        if (duplicateId != null) {
            String id = duplicateId instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : duplicateId.toString();
            message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(scopedDuplicateId(account, id)));
        }
        message.messageChanged();
    }

    /** The broker-side duplicate-detection id of an outsider's message: its own id, within its account's space. */
    public static String scopedDuplicateId(String account, String id) {
        return account + "/" + id;
    }
}
