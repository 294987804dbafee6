package org.originhub.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP access: the health probe is open (monitoring systems poll it without credentials, and it shows no details
 * to anonymous callers); everything else needs the operator's account.
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {

    @Bean
    public SecurityFilterChain hubSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/actuator/**", "/api/**"));
        return http.build();
    }

    @Bean
    public UserDetailsService operators(OriginHubProperties props) {
        OriginHubProperties.Operator operator = props.operator();
        if (operator.password() == null || operator.password().isBlank()) {
            throw new IllegalStateException("originhub.operator.password is not set (set ORIGINHUB_OPERATOR_PASSWORD)");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(operator.username())
                .password(encoder.encode(operator.password())).roles("OPERATOR").build());
    }
}
