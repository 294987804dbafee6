package org.originhub.deadletter;

import jakarta.jms.ConnectionFactory;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.originhub.config.OriginHubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.jmx.export.annotation.AnnotationJmxAttributeSource;
import org.springframework.jmx.export.assembler.MetadataMBeanInfoAssembler;
import org.springframework.stereotype.Component;
import org.springframework.util.ObjectUtils;

/**
 * Registers the hub's operations MBeans in the platform MBean server (the one Jolokia and Hawtio read) with an
 * exporter of its own, so it needs neither {@code spring.jmx.enabled} nor a shared {@code MBeanExporter} bean (which
 * would also export other beans, such as the connection pool, under names that clash when two hubs share a JVM).
 * When the name is already taken (a second hub in the same JVM, as in tests), the MBean gets a {@code context} key.
 */
@Component
public class OperationsMBeanRegistration implements InitializingBean, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(OperationsMBeanRegistration.class);
    public static final String DEAD_LETTER_REPLAY = "org.originhub:type=Operations,name=DeadLetterReplay";

    private final DeadLetterOperations deadLetters;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MBeanExporter exporter = new MBeanExporter();
    private ObjectName registered;

    public OperationsMBeanRegistration(DeadLetterReplay replay, ConnectionFactory connectionFactory, OriginHubProperties props) {
        this.deadLetters = new DeadLetterOperations(replay, connectionFactory, props);
        exporter.setServer(server);
        exporter.setAssembler(new MetadataMBeanInfoAssembler(new AnnotationJmxAttributeSource()));
    }

    @Override
    public void afterPropertiesSet() throws MalformedObjectNameException {
        ObjectName name = new ObjectName(DEAD_LETTER_REPLAY);
        if (server.isRegistered(name)) {
            name = new ObjectName(DEAD_LETTER_REPLAY + ",context=" + ObjectUtils.getIdentityHexString(this));
        }
        exporter.registerManagedResource(deadLetters, name);
        registered = name;
        log.info("JMX: dead-letter replay operations registered as {}", name);
    }

    /** The name the dead-letter operations are registered under. */
    public ObjectName deadLetterReplayName() {
        return registered;
    }

    /** The JMX-facing object itself, for tests that call its operations directly rather than through JMX. */
    public DeadLetterOperations deadLetterOperations() {
        return deadLetters;
    }

    @Override
    public void destroy() {
        exporter.unregisterManagedResource(registered);
    }
}
