package org.originhub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.originhub.dataset.EnvelopeCodec;
import org.originhub.dataset.v1.ExchangeEnvelope;
import org.originhub.exchange.HubHeaders;
import org.originhub.format.FormatContext;
import org.originhub.format.aladi.AladiCodFormat;
import org.originhub.signature.DemoKeys;
import org.originhub.signature.EnvelopeSigner;
import org.originhub.signature.KeyStores;
import org.originhub.signature.SigningKey;
import org.originhub.support.HubProperties;
import org.originhub.support.PartnerBroker;
import org.originhub.xml.SecureXml;

/**
 * Issue 12's benchmark: in one run, (a) the machine's bounds measured on the spot ({@link Bounds}), (b) the packaged
 * hub as its own process ({@link HubProcess}) on real brokers: outbound only, inbound only, full exchange, each with
 * throughput, latency percentiles at a fixed offered rate, peak heap and RSS, start-up time, and (c) each hub figure
 * as a ratio of its bound. Writes {@code target/benchmark/<run>/results.csv} and {@code report.md}, and publishes them
 * as {@code benchmarks/<date>-<key>.csv} and the "latest run" section of {@code BENCHMARKS.md}.
 *
 * <p>Not a test: run by {@code ./mvnw -B -o verify -Pbenchmark} only (the class name matches neither surefire's nor
 * failsafe's default patterns). Parameters (system properties): {@code benchmark.count} (documents in the throughput
 * phase, default 600), {@code benchmark.rate} (offered rate of the latency phase, COs/s, default 20),
 * {@code benchmark.latencySeconds} (default 10), {@code benchmark.warmup} (documents, default 300: enough for
 * the JIT to finish compiling the hot paths, so the figures are the steady state),
 * {@code benchmark.key} ({@code rsa} = RSA-3072 demo keys, or {@code ec} = ECDSA P-256), {@code benchmark.boundSeconds}
 * (measuring time of each bound, default 5), {@code benchmark.hubJvmArgs} (JVM options of the hub process, default
 * none: the JVM's own heap sizing, so the peak heap is what the hub needs, not a cap), {@code benchmark.publish}
 * (default true).
 */
class HubBenchmark {
    static final int COUNT = Integer.getInteger("benchmark.count", 600);
    static final int RATE = Integer.getInteger("benchmark.rate", 20);
    static final int LATENCY_SECONDS = Integer.getInteger("benchmark.latencySeconds", 10);
    static final int WARMUP = Integer.getInteger("benchmark.warmup", 300);
    static final String KEY = System.getProperty("benchmark.key", "rsa").toLowerCase(Locale.ROOT);
    static final int BOUND_SECONDS = Integer.getInteger("benchmark.boundSeconds", 5);
    static final String HUB_JVM_ARGS = System.getProperty("benchmark.hubJvmArgs", "");
    static final boolean PUBLISH = Boolean.parseBoolean(System.getProperty("benchmark.publish", "true"));
    static final Duration PHASE_LIMIT = Duration.ofMinutes(4);
    static final String COD_NUMBER = "ARCACA00182600074211";
    static final String COD_SAMPLE = "samples/aladi-cod/cod-4.1.0-FormA18-AR-BR.xml";

    final int cores = Runtime.getRuntime().availableProcessors();
    final String keyName = KEY.equals("ec") ? "ecp256" : "rsa3072";
    final Results results = new Results();
    final AtomicInteger serial = new AtomicInteger();
    final EnvelopeCodec codec = new EnvelopeCodec();
    String cod;
    Path runDir;
    Path keys;

    @Test
    void benchmark() throws Exception {
        assertThat(HubProcess.JAR).as("package first: ./mvnw -B -o verify -Pbenchmark").exists();
        assertThat(KEY).isIn("rsa", "ec");
        String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
        runDir = Files.createDirectories(Path.of("target/benchmark").toAbsolutePath().resolve(stamp + "-" + keyName));
        keys = Files.createDirectories(runDir.resolve("keys"));
        cod = Files.readString(Path.of(COD_SAMPLE), StandardCharsets.UTF_8);
        makeKeys();
        SigningKey ar = KeyStores.load(keys.resolve("AR.p12"), "origin-hub-ar", "ar-key-test-password".toCharArray());

        try (PartnerBroker partner = new PartnerBroker("benchmark-partner", runDir.resolve("partner-broker").toString(),
                "hub.inbound", "bench.bound").start()) {
            // (a) bounds
            byte[] envelope = codec.write(envelope(nextNumber()));
            byte[] signed = SecureXml.serialize(new EnvelopeSigner().sign(codec.toDocument(envelope(nextNumber())), ar));
            double signing = Bounds.signingRate(envelope, ar, cores, 2000, BOUND_SECONDS * 1000L);
            double hop = Bounds.brokerHopRate(runDir.resolve("bare-broker"), signed, cores, 20_000, BOUND_SECONDS * 1000L);
            double amqp = Bounds.amqpSendRate(partner, "bench.bound", signed, 1000, BOUND_SECONDS * 1000L);
            results.bound("signing (parse+sign+serialise, " + cores + " threads)", signing, "signatures/s",
                    "envelope " + envelope.length + " bytes unsigned, " + signed.length + " signed");
            results.bound("broker transacted hop (" + cores + " consumers)", hop, "hops/s", "in-VM, persistent journal, message " + signed.length + " bytes");
            results.bound("AMQP durable synchronous send (1 connection)", amqp, "msgs/s", "Qpid JMS to the partner broker");
            // Per CO: outbound 1 signature, 3 hops (intake, sign, forward), 1 AMQP send; inbound (with its acknowledgement)
            // 1 signature, 4 hops (verify, deliver, sign ack, forward ack), 1 send; full exchange 2 signatures, 9 hops, 2 sends.
            Map<String, double[]> bounds = new LinkedHashMap<>();
            bounds.put("outbound", new double[] {signing, Math.min(signing, Math.min(hop / 3, amqp))});
            bounds.put("inbound", new double[] {signing, Math.min(signing, Math.min(hop / 4, amqp))});
            bounds.put("full", new double[] {signing / 2, Math.min(signing / 2, Math.min(hop / 9, amqp / 2))});
            bounds.forEach((k, b) -> results.bound(k + " bound (signing; all resources)", b[0], "COs/s",
                    String.format(Locale.ROOT, "all resources: %.1f COs/s", b[1])));

            // (b) the hub, three processes, each fresh
            outboundOnly(partner, bounds.get("outbound"));
            inboundOnly(partner, ar, bounds.get("inbound"));
            fullExchange(bounds.get("full"));
            startUpWithClassDataSharing();
        }
        results.write(runDir, keyName, cores, command(), PUBLISH);
        System.out.println(Files.readString(runDir.resolve("report.md")));
    }

    /** AR's single window → hub (map, sign) → the partner broker's hub.inbound over AMQP. */
    private void outboundOnly(PartnerBroker partner, double[] bound) throws Exception {
        try (HubProcess hub = startHub("outbound", partnerArgs(partner));
             Flow flow = new Flow()) {
            double startup = hub.awaitUp();
            flow.receive(partner.adminConnectionFactory(), "hub.inbound", "OriginHubMessageType = 'CertificateOfOrigin'",
                    m -> m.getStringProperty(HubHeaders.DOCUMENT_NUMBER));
            runPhases("outbound only", hub, flow, null, startup, bound, singleWindowSender(hub, flow), this::nextNumber, flow::awaitAll);
        }
    }

    /** Pre-signed AR → BR envelopes sent by the partner account partner-ar to the hub's hub.inbound → BR's SW inbox. */
    private void inboundOnly(PartnerBroker partner, SigningKey ar, double[] bound) throws Exception {
        // Signed before the hub starts, so the signing of the benchmark's own inputs competes with nothing measured.
        int total = WARMUP + RATE * LATENCY_SECONDS + COUNT;
        Map<String, byte[]> envelopes = new ConcurrentHashMap<>();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < total; i++) numbers.add(nextNumber());
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try {
            EnvelopeSigner signer = new EnvelopeSigner();
            for (var f : pool.invokeAll(numbers.stream().<Callable<Void>>map(n -> () -> {
                envelopes.put(n, SecureXml.serialize(signer.sign(codec.toDocument(envelope(n)), ar)));
                return null;
            }).toList())) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Queue<String> queue = new ConcurrentLinkedQueue<>(numbers);
        try (HubProcess hub = startHub("inbound", partnerArgs(partner));
             Flow flow = new Flow();
             Flow acknowledgements = new Flow()) {
            double startup = hub.awaitUp();
            flow.receive(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.inbox",
                    "OriginHubMessageType = 'CertificateOfOrigin'", m -> m.getStringProperty(HubHeaders.DOCUMENT_NUMBER));
            // The hub's signed acknowledgements (one per CO, named by the CO's number) reach the partner broker: a phase
            // ends when they too are out, so that the warm-up's do not load the latency phase.
            acknowledgements.receive(partner.adminConnectionFactory(), "hub.inbound", "OriginHubMessageType = 'Acknowledgement'",
                    m -> m.getStringProperty(HubHeaders.DOCUMENT_NUMBER));
            Completion deliveredAndAcknowledged = (keys, atMost) -> flow.awaitAll(keys, atMost) && acknowledgements.awaitAll(keys, atMost);
            JmsConnectionFactory cf = new JmsConnectionFactory(hub.amqpUrl());
            cf.setUsername("partner-ar");
            cf.setPassword(HubProperties.PARTNER_AR_PASSWORD);
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("hub.inbound"));
                p.setDeliveryMode(DeliveryMode.PERSISTENT);
                Sender sender = number -> {
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(envelopes.get(number));
                    flow.markSent(number);
                    p.send(m);
                };
                runPhases("inbound only", hub, flow, null, startup, bound, sender, queue::poll, deliveredAndAcknowledged);
            }
        }
    }

    /**
     * The default loop: AR's single window sends CODs to AR.sw.outbox; they come back in through the hub's own AMQP
     * acceptor, are verified and delivered to BR.sw.inbox; BR's signed acknowledgement comes back to AR.sw.inbox. The
     * throughput counts a CO done when its acknowledgement is in AR's inbox; latencies are given for both.
     */
    private void fullExchange(double[] bound) throws Exception {
        try (HubProcess hub = startHub("full", null);
             Flow delivered = new Flow();
             Flow acknowledged = new Flow()) {
            double startup = hub.awaitUp();
            Map<String, String> numberOfMessageId = new ConcurrentHashMap<>();
            delivered.receive(hub.connectionFactory("sw-br", HubProperties.SW_BR_PASSWORD), "BR.sw.inbox",
                    "OriginHubMessageType = 'CertificateOfOrigin'", m -> {
                        String number = m.getStringProperty(HubHeaders.DOCUMENT_NUMBER);
                        numberOfMessageId.put(m.getStringProperty(HubHeaders.MESSAGE_ID), number);
                        return number;
                    });
            // An acknowledgement names the CO's messageId (InReplyTo), not its number: kept by messageId and resolved to
            // the number through the delivered CO, which may be read after its acknowledgement.
            Map<String, Long> ackByMessageId = new ConcurrentHashMap<>();
            acknowledged.receive(hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD), "AR.sw.inbox",
                    "OriginHubMessageType = 'Acknowledgement'", m -> {
                        ackByMessageId.putIfAbsent(m.getStringProperty(HubHeaders.IN_REPLY_TO), System.nanoTime());
                        return null;
                    });
            Runnable resolve = () -> ackByMessageId.forEach((id, at) -> {
                String number = numberOfMessageId.get(id);
                if (number != null) acknowledged.arrived.putIfAbsent(number, at);
            });
            Completion acks = (keys, atMost) -> {
                try {
                    await("acknowledgements").atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
                        resolve.run();
                        return acknowledged.arrived.keySet().containsAll(keys);
                    });
                    return true;
                } catch (ConditionTimeoutException e) {
                    return false;
                }
            };
            Sender sw = singleWindowSender(hub, delivered, acknowledged);
            runPhases("full exchange", hub, delivered, acknowledged, startup, bound, sw, this::nextNumber, acks);
        }
    }

    /**
     * Start-up as README "Faster start-up" deploys the hub: the jar extracted by Spring Boot's jar tools, and a
     * class-data-sharing archive written by one training run (a hub that exits once its context has refreshed); then a
     * fresh hub started with that archive, timed from process start to health UP like the scenarios above.
     */
    private void startUpWithClassDataSharing() throws Exception {
        Path app = runDir.resolve("cds-app");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process extract = new ProcessBuilder(java, "-Djarmode=tools", "-jar", HubProcess.JAR.toString(), "extract",
                "--destination", app.toString()).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("cds-extract.log").toFile()).start();
        if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
            throw new IllegalStateException("jar extraction failed: " + runDir.resolve("cds-extract.log"));
        }
        Path jar = app.resolve(HubProcess.JAR.getFileName());
        Path archive = app.resolve("origin-hub.jsa");
        try (HubProcess training = startHub("cds-training", null, jar,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"))) {
            int exit = training.awaitExit(Duration.ofMinutes(3));
            if (exit != 0 || !Files.exists(archive)) {
                throw new IllegalStateException("CDS training run failed (exit " + exit + "): " + training.dir.resolve("hub.log"));
            }
        }
        try (HubProcess hub = startHub("cds", null, jar, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off"))) {
            double startup = hub.awaitUp();
            results.hub("start-up", "start-up with the extracted jar and a CDS archive (process start to health UP)", startup,
                    "s", Double.NaN, 10, String.format(Locale.ROOT, "archive %.0f MB from one training run",
                            Files.size(archive) / 1e6));
        }
    }

    /** A document sender: sends the document with this number, marking its send time first. */
    interface Sender {
        void send(String number) throws Exception;
    }

    /** When all documents of a phase are through (false: the time ran out). */
    interface Completion {
        boolean awaitAll(Collection<String> keys, Duration atMost);
    }

    /** AR's single window: one CORE connection to the hub, a durable (synchronous) send of each COD to its outbox. */
    private Sender singleWindowSender(HubProcess hub, Flow... flows) throws Exception {
        Connection c = hub.connectionFactory("sw-ar", HubProperties.SW_AR_PASSWORD).createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("AR.sw.outbox"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        return number -> {
            TextMessage m = s.createTextMessage(cod.replace(COD_NUMBER, number));
            for (Flow f : flows) f.markSent(number);
            p.send(m);
        };
    }

    /**
     * Warm-up (not counted), then the latency phase (the fixed offered rate for the configured seconds), then the
     * throughput phase (COUNT documents sent as fast as one connection sends them; first send to last arrival).
     * {@code second}, when given, is a later arrival (the acknowledgement), which the throughput then counts.
     */
    private void runPhases(String scenario, HubProcess hub, Flow flow, Flow second, double startup, double[] bound,
                           Sender sender, Supplier<String> numbers, Completion completion) throws Exception {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        try {
            List<String> warm = take(numbers, WARMUP);
            exec.submit(() -> sendAll(sender, warm)).get();
            boolean warmOk = completion.awaitAll(warm, PHASE_LIMIT);

            List<String> lat = take(numbers, RATE * LATENCY_SECONDS);
            AtomicInteger next = new AtomicInteger();
            // Paced by the scheduler at the offered rate, whatever the hub does (an open-loop load).
            ScheduledFuture<?> ticker = exec.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i < lat.size()) {
                    try {
                        sender.send(lat.get(i));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 1_000_000_000L / RATE, TimeUnit.NANOSECONDS);
            boolean latOk = completion.awaitAll(lat, PHASE_LIMIT.plusSeconds(LATENCY_SECONDS));
            ticker.cancel(false);

            List<String> burst = take(numbers, COUNT);
            exec.submit(() -> sendAll(sender, burst)).get();
            boolean burstOk = completion.awaitAll(burst, PHASE_LIMIT);

            Flow done = second != null ? second : flow;
            double throughput = done.throughput(burst);
            String complete = (warmOk && latOk && burstOk) ? "" : " INCOMPLETE (not all arrived within the time limit)";
            results.hub(scenario, "start-up (process start to health UP)", startup, "s", Double.NaN, 10, complete);
            results.hub(scenario, "throughput (" + COUNT + " sent at once, first send to last arrival"
                            + (second != null ? " of the acknowledgement" : "") + ")", throughput, "COs/s", bound[0], Double.NaN,
                    String.format(Locale.ROOT, "%.0f %% of the all-resources bound %.1f%s", 100 * throughput / bound[1], bound[1], complete));
            addLatencies(scenario, second != null ? "CO delivered to BR" : "end to end", flow.latenciesMs(lat), lat.size(), complete);
            if (second != null) {
                addLatencies(scenario, "acknowledgement back at AR", second.latenciesMs(lat), lat.size(), complete);
            }
            results.hub(scenario, "peak heap (GC log: occupancy before a collection)", hub.peakHeapMb(), "MB", Double.NaN, 512, "");
            results.hub(scenario, "peak RSS (/proc VmHWM)", hub.peakRssMb(), "MB", Double.NaN, Double.NaN, "");
        } finally {
            exec.shutdownNow();
        }
    }

    private void addLatencies(String scenario, String what, double[] latencies, int sent, String complete) {
        String note = latencies.length + " of " + sent + " at " + RATE + " COs/s offered" + complete;
        results.hub(scenario, "latency p50, " + what, Flow.percentile(latencies, 50), "ms", Double.NaN, Double.NaN, note);
        results.hub(scenario, "latency p95, " + what, Flow.percentile(latencies, 95), "ms", Double.NaN, Double.NaN, note);
        results.hub(scenario, "latency p99, " + what, Flow.percentile(latencies, 99), "ms", Double.NaN, 200, note);
    }

    private static Void sendAll(Sender sender, List<String> numbers) throws Exception {
        for (String n : numbers) sender.send(n);
        return null;
    }

    private static List<String> take(java.util.function.Supplier<String> numbers, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(numbers.get());
        return out;
    }

    /** A fresh hub process with the demo keys; {@code partnerArgs} null: the default loop through its own acceptor. */
    private HubProcess startHub(String name, List<String> partnerArgs) throws Exception {
        return startHub(name, partnerArgs, HubProcess.JAR, List.of());
    }

    private HubProcess startHub(String name, List<String> partnerArgs, Path jar, List<String> extraJvmArgs) throws Exception {
        Path dir = runDir.resolve("hub-" + name);
        Files.createDirectories(dir.resolve("data/keys"));
        for (String f : List.of("AR.p12", "AR.pem", "BR.p12", "BR.pem")) {
            Files.copy(keys.resolve(f), dir.resolve("data/keys").resolve(f));
        }
        List<String> jvm = new ArrayList<>(extraJvmArgs);
        if (!HUB_JVM_ARGS.isBlank()) jvm.addAll(List.of(HUB_JVM_ARGS.trim().split("\\s+")));
        return new HubProcess(dir, jar, jvm, partnerArgs);
    }

    private static List<String> partnerArgs(PartnerBroker partner) {
        List<String> args = new ArrayList<>();
        for (String cc : List.of("AR", "BR")) {
            args.add("--originhub.partners." + cc + ".amqp-url=" + partner.amqpUrl());
            args.add("--originhub.partners." + cc + ".username=" + PartnerBroker.USER);
            args.add("--originhub.partners." + cc + ".password=" + PartnerBroker.PASSWORD);
        }
        return args;
    }

    /** Demo keys of AR and BR: RSA-3072 by DemoKeys, or P-256 with DemoKeys' certificate and keystore layout. */
    private void makeKeys() throws Exception {
        for (String cc : List.of("AR", "BR")) {
            Path p12 = keys.resolve(cc + ".p12");
            String alias = "origin-hub-" + cc.toLowerCase(Locale.ROOT);
            char[] password = (cc.toLowerCase(Locale.ROOT) + "-key-test-password").toCharArray();
            if (KEY.equals("ec")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = g.generateKeyPair();
                DemoKeys.write(new SigningKey(alias, pair.getPrivate(),
                        DemoKeys.selfSigned(cc, pair, Instant.now().minus(DemoKeys.BACKDATE), DemoKeys.VALIDITY)), p12, password);
            } else {
                DemoKeys.ensure(cc, p12, alias, password);
            }
        }
    }

    private String nextNumber() {
        return "ARCACA001826" + String.format("%08d", 10_000_000 + serial.getAndIncrement());
    }

    /** The unsigned AR → BR envelope of a COD with this number, as the hub's intake makes it. */
    private ExchangeEnvelope envelope(String number) {
        ExchangeEnvelope env = new AladiCodFormat().parse(cod.replace(COD_NUMBER, number).getBytes(StandardCharsets.UTF_8),
                FormatContext.of("AR"));
        env.getHeader().setMessageId(UUID.randomUUID().toString());
        env.getHeader().setCreatedAt(OffsetDateTime.now(ZoneOffset.UTC));
        env.getHeader().setSchemaVersion(EnvelopeCodec.SCHEMA_VERSION);
        return env;
    }

    private String command() {
        StringBuilder b = new StringBuilder("./mvnw -B -o verify -Pbenchmark");
        for (String p : List.of("benchmark.count", "benchmark.rate", "benchmark.latencySeconds", "benchmark.warmup",
                "benchmark.key", "benchmark.boundSeconds", "benchmark.hubJvmArgs")) {
            if (System.getProperty(p) != null) b.append(" -D").append(p).append('=').append(System.getProperty(p));
        }
        return b.toString();
    }
}
