package org.originhub.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertiesPropertySource;

/**
 * Demo mode's secrets: for each name in {@code originhub.demo.secrets} that neither the environment nor any other
 * property source gives, a random value is generated once and kept in {@code <key-directory>/../demo/secrets.properties}
 * (owner-only), so that a fresh clone runs with no committed secret and a restart finds the same keys. The values
 * are added with the lowest precedence: anything set in the environment wins. Off unless {@code originhub.demo.enabled}.
 */
public class DemoSecrets implements EnvironmentPostProcessor {
    static final String SOURCE_NAME = "originhub-demo-secrets";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("originhub.demo.enabled", Boolean.class, false)) {
            return;
        }
        List<String> names = Binder.get(env).bind("originhub.demo.secrets", Bindable.listOf(String.class)).orElse(List.of());
        if (names.isEmpty()) {
            return;
        }
        Path file = Path.of(env.getProperty("originhub.demo.secrets-file", "data/demo/secrets.properties"));
        Properties stored = load(file);
        boolean changed = false;
        SecureRandom random = new SecureRandom();
        for (String name : names) {
            if (env.containsProperty(name) || stored.containsKey(name)) {
                continue;
            }
            byte[] bytes = new byte[18];
            random.nextBytes(bytes);
            stored.setProperty(name, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            changed = true;
        }
        if (changed) {
            store(file, stored);
        }
        env.getPropertySources().addLast(new PropertiesPropertySource(SOURCE_NAME, stored));
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read demo secrets " + file.toAbsolutePath(), e);
            }
        }
        return p;
    }

    private static void store(Path file, Properties p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, "Origin Hub demo secrets, generated on first start. Not for production: set these in the environment.");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write demo secrets " + file.toAbsolutePath(), e);
        }
        // Owner-only from its creation (temporary file created rw------- and moved into place), never chmod-ed after.
        PrivateFiles.writeSecret(file, out.toByteArray());
    }
}
