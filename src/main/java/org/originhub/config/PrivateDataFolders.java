package org.originhub.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Prepares the folders the hub keeps its data in, owner-only ({@link PrivateFiles#directory}), before any bean uses
 * them: the embedded broker's journal, bindings, paging and large-message folders, the folder of the H2 history
 * database (from {@code spring.datasource.url} when it is a {@code jdbc:h2:file:} URL), which also holds the
 * inbound message-id memory. A bean factory post-processor runs before any singleton is created, so the broker and the
 * DataSource find the folders already private and create nothing readable by others.
 */
@Component
public class PrivateDataFolders implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {
    private static final String H2_FILE = "jdbc:h2:file:";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        folders(environment).forEach(PrivateFiles::directory);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The folders to make owner-only for this configuration, in creation order. */
    static Set<Path> folders(Environment env) {
        Binder binder = Binder.get(env);
        Set<Path> folders = new LinkedHashSet<>();
        if (binder.bind("originhub.broker.embedded", Boolean.class).orElse(true)) {
            Path broker = Path.of(binder.bind("originhub.broker.data-directory", String.class).orElse("data/broker"));
            folders.add(broker);
            // The same sub-folders EmbeddedBrokerConfiguration gives Artemis.
            for (String sub : new String[] {"journal", "bindings", "paging", "large-messages"}) {
                folders.add(broker.resolve(sub));
            }
        }
        h2Folder(binder.bind("spring.datasource.url", String.class).orElse(null)).ifPresent(folders::add);
        return folders;
    }

    /** {@code jdbc:h2:file:./data/history/origin-hub;OPTION=...} → {@code ./data/history}; other URLs → none. */
    static Optional<Path> h2Folder(String url) {
        if (url == null || !url.startsWith(H2_FILE)) {
            return Optional.empty();
        }
        String file = url.substring(H2_FILE.length());
        int options = file.indexOf(';');
        if (options >= 0) {
            file = file.substring(0, options);
        }
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        return Optional.ofNullable(parent);
    }
}
