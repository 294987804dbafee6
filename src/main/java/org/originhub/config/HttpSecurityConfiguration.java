package org.originhub.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.web.servlet.server.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * HTTP access to the hub's management side.
 * <ul>
 * <li>Open: the health probes ({@code /actuator/health}, {@code .../liveness}, {@code .../readiness}); monitoring
 * systems poll them without credentials and see only the status (details need the operator's account).</li>
 * <li>The Hawtio console ({@code /actuator/hawtio/**}): an unauthenticated browser is sent to the login page
 * ({@code /login}); after logging in it uses the session, also for its Jolokia calls. Hawtio's own authentication
 * is off ({@code hawtio.authenticationEnabled=false}): Spring Security is the one gate.</li>
 * <li>Everything else (Jolokia, the other actuator endpoints, {@code /api/**}): HTTP Basic with the operator's
 * account, or the session of a logged-in operator; without either the answer is {@code 401} with
 * {@code WWW-Authenticate: Basic realm="Origin Hub"} and a small JSON body, never data and never a redirect.</li>
 * </ul>
 * CSRF: a browser session must send the {@code XSRF-TOKEN} cookie's value back as {@code X-XSRF-TOKEN} (Hawtio does)
 * or as the {@code _csrf} form field (the login form does). A request that carries its own credentials in an
 * {@code Authorization} header and no {@code Origin} header (curl, a monitoring system, a script) is not a browser's
 * forged request and needs no token. Session cookies are {@code SameSite=Strict}.
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {
    static final String REALM = "Origin Hub";
    static final String HAWTIO = "/actuator/hawtio/**";

    @Bean
    public SecurityFilterChain hubSecurity(HttpSecurity http) throws Exception {
        RequestMatcher hawtioUi = new OrRequestMatcher(new AntPathRequestMatcher("/actuator/hawtio"),
                new AntPathRequestMatcher(HAWTIO), new AntPathRequestMatcher("/"));
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        // Loads the token on every request, so the XSRF-TOKEN cookie is there before Hawtio's first POST to Jolokia.
        csrfHandler.setCsrfRequestAttributeName(null);
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(unauthorized()))
                .formLogin(form -> form.defaultSuccessUrl("/actuator/hawtio/", false).permitAll())
                .logout(logout -> logout
                        .logoutRequestMatcher(new OrRequestMatcher(new AntPathRequestMatcher("/logout", "POST"),
                                new AntPathRequestMatcher("/actuator/hawtio/auth/logout/**")))
                        .logoutSuccessUrl("/login?logout"))
                .exceptionHandling(ex -> ex
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), hawtioUi)
                        .defaultAuthenticationEntryPointFor(unauthorized(), AnyRequestMatcher.INSTANCE))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfHandler)
                        .ignoringRequestMatchers(HttpSecurityConfiguration::credentialsWithoutOrigin,
                                HttpSecurityConfiguration::anonymous));
        return http.build();
    }

    /** A script or monitoring system sending its own credentials: no browser, so no cross-site forgery. */
    static boolean credentialsWithoutOrigin(HttpServletRequest request) {
        return request.getHeader("Authorization") != null && request.getHeader("Origin") == null;
    }

    /**
     * No credentials and no session: there is no identity to forge, so the request goes on to authorization and gets
     * 401 (not a CSRF 403 that would hide why it was refused).
     */
    static boolean anonymous(HttpServletRequest request) {
        return request.getHeader("Authorization") == null && request.getRequestedSessionId() == null;
    }

    /** 401 with a Basic challenge and a short JSON body saying how to authenticate. */
    static AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"status\":401,\"error\":\"Unauthorized\",\"message\":"
                    + "\"operator credentials required (HTTP Basic, or log in at /login)\"}");
        };
    }

    /** The session cookie is never sent on cross-site requests. */
    @Bean
    public CookieSameSiteSupplier sessionCookieSameSite() {
        return CookieSameSiteSupplier.ofStrict().whenHasName("JSESSIONID");
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
