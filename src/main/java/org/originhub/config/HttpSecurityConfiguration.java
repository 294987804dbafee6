package org.originhub.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriUtils;

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
 * <p>
 * Jolokia: exec and write only by POST (a GET may read, list, search or ask the version), and never from a page of
 * another origin; what an operator may execute at all is the allow-list in {@code jolokia-access.xml}.
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityConfiguration {
    static final String REALM = "Origin Hub";
    static final String HAWTIO = "/actuator/hawtio/**";
    /** Where Jolokia answers: the actuator endpoint, and Hawtio's forward to it. */
    static final List<String> JOLOKIA = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");
    static final Set<String> READ_ONLY_COMMANDS = Set.of("", "read", "list", "search", "version");

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
                        .requestMatchers(HttpSecurityConfiguration::jolokiaChangeWithoutPost).denyAll()
                        .requestMatchers(HttpSecurityConfiguration::jolokiaFromAnotherOrigin).denyAll()
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

    /**
     * A Jolokia request that is not a POST yet could change something: Jolokia runs any command, exec included, from a
     * GET's path ({@code /exec/...}) or its {@code p} parameter, and the CSRF token guards only unsafe methods, so a GET
     * that a foreign page makes the operator's browser send (an {@code <img>}) would run with the session cookie, or
     * with Basic credentials the browser remembers. Only read, list, search and version (and the bare agent URL, which
     * Hawtio probes) may come by GET; everything else, on either path Jolokia answers on, needs a POST.
     */
    static boolean jolokiaChangeWithoutPost(HttpServletRequest request) {
        String method = request.getMethod();
        if ("POST".equals(method) || "OPTIONS".equals(method)) {
            return false;
        }
        String path = jolokiaPath(request);
        if (path == null) {
            return false;
        }
        String[] p = request.getParameterValues("p");
        if (p != null) {
            for (String value : p) {
                if (!readOnlyCommand(value)) {
                    return true;
                }
            }
        }
        return !readOnlyCommand(path);
    }

    /**
     * A Jolokia request whose {@code Origin} is not the hub's own: the console is same-origin, so no other site's page
     * may call Jolokia, not even to read (Jolokia would otherwise echo that origin in its CORS answer).
     */
    static boolean jolokiaFromAnotherOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null || jolokiaPath(request) == null) {
            return false;
        }
        UriComponents own = ServletUriComponentsBuilder.fromContextPath(request).replacePath(null).replaceQuery(null).build();
        return !origin.equalsIgnoreCase(own.toUriString());
    }

    /** The Jolokia path (after the agent's URL, decoded as Jolokia decodes it), or null when this is not Jolokia. */
    static String jolokiaPath(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String path = UriUtils.decode(uri, StandardCharsets.UTF_8);
        for (String agent : JOLOKIA) {
            if (path.equals(agent) || path.startsWith(agent + "/")) {
                return path.substring(agent.length());
            }
        }
        return null;
    }

    /** Whether a Jolokia path names a command that changes nothing (empty: the agent's version). */
    static boolean readOnlyCommand(String path) {
        String command = path.replaceFirst("^/+", "");
        int slash = command.indexOf('/');
        command = (slash < 0 ? command : command.substring(0, slash)).toLowerCase(Locale.ROOT);
        return READ_ONLY_COMMANDS.contains(command);
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
