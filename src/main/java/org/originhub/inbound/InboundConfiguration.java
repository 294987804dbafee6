package org.originhub.inbound;

import java.io.File;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.originhub.config.OriginHubProperties;
import org.originhub.config.PrivateFiles;
import org.originhub.signature.EnvelopeVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans of the inbound flow: the signature verifier and the duplicate check that survives restarts. */
@Configuration(proxyBeanMethods = false)
public class InboundConfiguration {

    @Bean
    public EnvelopeVerifier envelopeVerifier() {
        return new EnvelopeVerifier();
    }

    /**
     * Sender and messageId of every partner message accepted so far, appended to a file as they arrive: a replay
     * (even after a restart) is acknowledged again but not delivered again.
     */
    @Bean("inboundMessageIds")
    public IdempotentRepository inboundMessageIds(OriginHubProperties props) {
        File store = new File(props.inbound().messageIdStore());
        File parent = store.getAbsoluteFile().getParentFile();
        if (parent != null) {
            // Partners' messageIds are data: the folder is owner-only (also prepared by PrivateDataFolders).
            PrivateFiles.directory(parent.toPath());
        }
        int cache = props.inbound().messageIdCacheSize();
        // The file may grow to about 100 bytes a key before the repository trims it to the cache.
        return FileIdempotentRepository.fileIdempotentRepository(store, cache, (long) cache * 100);
    }
}
