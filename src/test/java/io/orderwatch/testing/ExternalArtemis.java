package io.orderwatch.testing;

import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.activemq.artemis.utils.XMLUtil;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * An Artemis 2.44 broker of its own, in a child JVM, as a deployment's external broker is: it reads
 * config/broker.xml the way an Artemis instance does (its {@code ${orderwatch.broker.*:default}} values
 * as system properties: journal dir, 127.0.0.1, a free port), keeps its journal in a folder of the test,
 * and, given a user, requires it of every client (role {@code amq}, as broker.xml's security settings
 * name). {@link #killHard()} is SIGKILL; {@link #restart()} starts it again on the same journal and port.
 * The child ends by itself when the test JVM goes away (it watches its stdin).
 *
 * <pre>
 * try (ExternalArtemis artemis = ExternalArtemis.start(data.resolve("artemis"), "ow", "secret")) {
 *     p.setProperty("orderwatch.broker.url", artemis.url());
 *     ...
 *     artemis.killHard();
 *     artemis.restart();
 * }
 * </pre>
 */
public final class ExternalArtemis implements AutoCloseable {

    private static final String READY = "EXTERNAL-ARTEMIS-READY";

    private final Path dir;
    private final int port;
    private final String user;
    private final String password;
    private Process process;
    private int starts;

    private ExternalArtemis(Path dir, int port, String user, String password) {
        this.dir = dir;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** Without security: any client may connect. */
    public static ExternalArtemis start(Path dir) {
        return start(dir, null, null);
    }

    /** Requires {@code user}/{@code password} of every client (both null = no security). Returns once it accepts connections. */
    public static ExternalArtemis start(Path dir, String user, String password) {
        ExternalArtemis a = new ExternalArtemis(dir, io.orderwatch.app.TestPorts.free(), user, password);
        a.launch();
        return a;
    }

    /** {@code tcp://127.0.0.1:<port>}: what ORDERWATCH_BROKER_URL is set to. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** SIGKILL: nothing flushed or closed beyond what the journal had synced. Returns once the JVM is gone. */
    public synchronized void killHard() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the external Artemis did not die on SIGKILL\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing the external Artemis", e);
        }
        process = null;
    }

    /** Starts it again on the same journal and port (after {@link #killHard()}, or kills it first). */
    public synchronized ExternalArtemis restart() {
        killHard();
        launch();
        return this;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child's output, all of its starts (appended). */
    public Path log() {
        return dir.resolve("artemis.log");
    }

    private synchronized void launch() {
        int start = ++starts;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dorderwatch.broker.dir=" + dir.toAbsolutePath().resolve("data"));
        cmd.add("-Dorderwatch.broker.bind-host=127.0.0.1");
        cmd.add("-Dorderwatch.broker.port=" + port);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        cmd.add(Path.of("config", "broker.xml").toAbsolutePath().toString());
        cmd.add(Integer.toString(start));
        if (user != null) {
            cmd.add(user);
            cmd.add(password);
        }
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the external Artemis", e);
        }
        Process p = process;
        String ready = READY + " " + start;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("the external Artemis exited with " + p.exitValue() + "\n" + logTail());
                }
                return logText().lines().anyMatch(ready::equals);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the external Artemis did not start within 60 s\n" + logTail(), e);
        }
    }

    private String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public String logTail() {
        List<String> lines = logText().lines().toList();
        return "--- last lines of " + log() + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public synchronized void close() {
        killHard();
    }

    /**
     * The child: {@code <broker.xml> <start number> [<user> <password>]}. Parses the file as an Artemis
     * instance does (system properties fill its placeholders), says it is ready, and runs until killed or
     * until its stdin closes.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            String xml = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
            Element root = XMLUtil.stringToElement(XMLUtil.replaceSystemPropsInString(xml));
            Element core = (Element) root.getElementsByTagName("core").item(0);
            FileConfiguration c = new FileConfiguration();
            XMLUtil.validate(core, c.getSchema());
            c.parse(core, null);
            c.setConfigurationFileRefreshPeriod(-1);
            c.setJMXManagementEnabled(false);
            c.setNodeManagerLockDirectory(System.getProperty("orderwatch.broker.dir"));
            EmbeddedActiveMQ server = new EmbeddedActiveMQ();
            server.setConfiguration(c);
            if (args.length >= 4) {
                SecurityConfiguration users = new SecurityConfiguration();
                users.addUser(args[2], args[3]);
                users.addRole(args[2], "amq");
                server.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
                c.setSecurityEnabled(true);
            } else {
                c.setSecurityEnabled(false);
            }
            server.start();
            System.out.println(READY + " " + args[1]);
            System.out.flush();
            // the test JVM holds the other end of stdin: when it is gone, so is this broker
            while (System.in.read() >= 0) {
                // nothing is ever written
            }
            Runtime.getRuntime().halt(0);
        }
    }
}
