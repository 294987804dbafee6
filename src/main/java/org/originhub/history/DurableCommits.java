package org.originhub.history;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Makes a commit of the hub's database durable when it returns, on the embedded H2 default as on PostgreSQL: the
 * history, the CO lifecycle and the inbound messageId memory must survive a {@code kill -9} of the hub.
 *
 * <p>Why: H2 writes committed transactions to its file after a delay (500 ms by default), so a crash forgot the last
 * moment's records (about one CO per kill had no history at all). An H2 URL gets {@code WRITE_DELAY=0}, which writes
 * each commit before it returns (measured here: about 0.35 ms a commit); a URL that sets WRITE_DELAY itself is left
 * as it is. (The setting is given in the URL because {@code SET WRITE_DELAY} lasts only while the database is open.)
 * PostgreSQL is durable at commit by default ({@code synchronous_commit=on}); nothing is changed there.
 */
@Component
public class DurableCommits implements BeanPostProcessor {
    private static final Logger log = LoggerFactory.getLogger(DurableCommits.class);

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null) {
            String url = durableUrl(ds.getJdbcUrl());
            if (!url.equals(ds.getJdbcUrl())) {
                ds.setJdbcUrl(url);
                log.debug("H2: each commit is on disk when it returns (WRITE_DELAY=0)");
            }
        }
        return bean;
    }

    /** The URL with {@code ;WRITE_DELAY=0} added when it is an H2 URL that does not set WRITE_DELAY itself. */
    public static String durableUrl(String url) {
        if (url == null || !url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
    }
}
