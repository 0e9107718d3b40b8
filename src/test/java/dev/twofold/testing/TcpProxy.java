package dev.twofold.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback for fault tests: put it between the service and PostgreSQL (or anything
 * else) and make the network misbehave the way production networks do: add latency, freeze
 * connections (half-open TCP: nothing moves, nothing closes), stall new ones (accepted, never
 * answered) or drop them all at once (a database restart as the client sees it).
 *
 * <p>Each proxied connection is a {@link Link}, so a test can act on one connection only, e.g. the
 * one that carried {@code LISTEN} ({@link #linkThatSent}).
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;
    /** How much of what a client sent a link remembers, to be found by {@link #linkThatSent}. */
    private static final int REMEMBERED = 64 * 1024;

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Stalled> stalled = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean frozen;
    private volatile boolean refusing;
    private volatile boolean stallingNew;

    private TcpProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Delays every chunk forwarded in either direction, on every link, from now on. */
    public void latency(Duration delay) {
        this.latency = delay;
    }

    /** Stops moving bytes on every link, current and future, without closing anything. */
    public void freeze() {
        frozen = true;
    }

    /** Lets bytes move again on every link (links frozen one by one stay frozen). */
    public void thaw() {
        frozen = false;
        links.forEach(Link::wake);
    }

    /**
     * Closes every open link and refuses new connections until {@link #accept()}: what a client
     * sees while its database restarts.
     */
    public void dropAllAndRefuse() {
        refusing = true;
        links.forEach(Link::close);
    }

    /** Accepts connections again after {@link #dropAllAndRefuse()}. */
    public void accept() {
        refusing = false;
    }

    /**
     * From now on, accepts new connections but forwards nothing on them and answers nothing, until
     * {@link #forwardNew()}: a proxy that accepts and hangs, or a server stuck before it answers a
     * connection's startup. Open links are untouched.
     */
    public void stallNew() {
        stallingNew = true;
    }

    /** Forwards new connections again; those stalled so far stay so until their client closes them. */
    public void forwardNew() {
        stallingNew = false;
    }

    /** Every connection {@link #stallNew()} has held, oldest first, those their client closed included. */
    public List<Stalled> stalled() {
        return List.copyOf(stalled);
    }

    /** Closes every open link; new connections are accepted. */
    public void dropAll() {
        links.forEach(Link::close);
    }

    /** The open links, oldest first. */
    public List<Link> links() {
        return List.copyOf(links);
    }

    /** The newest open link whose client sent {@code text} (e.g. {@code "LISTEN"}), if any. */
    public Optional<Link> linkThatSent(String text) {
        List<Link> open = links();
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i).sent(text)) {
                return Optional.of(open.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        refusing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a listening socket cannot lose data.
        }
        thaw();
        links.forEach(Link::close);
        stalled.forEach(held -> closeQuietly(held.client));
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                if (stallingNew) {
                    Stalled held = new Stalled(client);
                    stalled.add(held);
                    held.start();
                    continue;
                }
                Socket target = new Socket();
                target.connect(upstream, 5_000);
                Link link = new Link(client, target);
                links.add(link);
                link.start();
            } catch (IOException e) {
                // The server socket was closed, or one upstream connect failed: the client sees a reset.
            }
        }
    }

    /** One proxied connection: two pumps, one per direction. */
    public final class Link {

        private final Socket client;
        private final Socket target;
        private final Transcript sent = new Transcript();
        private volatile boolean linkFrozen;
        private volatile boolean closed;

        private Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        /** Stops moving bytes on this link only, without closing it (a half-open connection). */
        public void freeze() {
            linkFrozen = true;
        }

        /** Lets this link move bytes again (unless the whole proxy is frozen). */
        public void thaw() {
            linkFrozen = false;
            wake();
        }

        public void close() {
            closed = true;
            links.remove(this);
            wake();
            closeQuietly(client);
            closeQuietly(target);
        }

        boolean sent(String text) {
            return sent.contains(text);
        }

        private void start() throws IOException {
            pump(client.getInputStream(), target.getOutputStream(), true);
            pump(target.getInputStream(), client.getOutputStream(), false);
        }

        private void pump(InputStream in, OutputStream out, boolean fromClient) {
            Thread thread = new Thread(
                    () -> {
                        byte[] buffer = new byte[BUFFER];
                        try {
                            int read;
                            while ((read = in.read(buffer)) >= 0) {
                                if (fromClient) {
                                    sent.append(buffer, read);
                                }
                                awaitFlowing();
                                Duration delay = latency;
                                if (!delay.isZero()) {
                                    Thread.sleep(delay.toMillis());
                                }
                                if (closed) {
                                    break;
                                }
                                out.write(buffer, 0, read);
                                out.flush();
                            }
                        } catch (IOException | InterruptedException e) {
                            // The other side closed or the link was dropped: close both ends below.
                        } finally {
                            close();
                        }
                    },
                    "tcp-proxy-" + (fromClient ? "up-" : "down-") + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void awaitFlowing() throws InterruptedException {
            while ((frozen || linkFrozen) && !closed) {
                wait(100);
            }
        }

        private synchronized void wake() {
            notifyAll();
        }
    }

    /**
     * A connection accepted while stalling: what its client sends is read and kept, nothing goes
     * back, and this end is never closed (until the proxy is), like a frozen path or a hung server.
     * That matters: vertx-pg-client ends a connection by waiting for the server to close it.
     */
    public static final class Stalled {

        private final Socket client;
        private final Transcript sent = new Transcript();
        private volatile boolean open = true;

        private Stalled(Socket client) {
            this.client = client;
        }

        /** Whether its client has not closed (its end of) it yet. */
        public boolean open() {
            return open;
        }

        /** Whether its client sent {@code text} (e.g. the {@code application_name} of its startup). */
        public boolean sent(String text) {
            return sent.contains(text);
        }

        private void start() {
            Thread thread = new Thread(
                    () -> {
                        byte[] buffer = new byte[BUFFER];
                        try {
                            InputStream in = client.getInputStream();
                            int read;
                            while ((read = in.read(buffer)) >= 0) {
                                sent.append(buffer, read);
                            }
                        } catch (IOException e) {
                            // Reset by the client, or closed with the proxy.
                        } finally {
                            open = false;
                        }
                    },
                    "tcp-proxy-stalled-" + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** What a client sent, up to {@link #REMEMBERED} bytes, searchable as text. */
    private static final class Transcript {

        private final StringBuilder text = new StringBuilder();

        synchronized void append(byte[] buffer, int length) {
            if (text.length() < REMEMBERED) {
                // Latin-1 keeps every byte one char, so protocol keywords are found in binary traffic.
                text.append(new String(buffer, 0, length, StandardCharsets.ISO_8859_1));
            }
        }

        synchronized boolean contains(String wanted) {
            return text.indexOf(wanted) >= 0;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed by the peer.
        }
    }
}
