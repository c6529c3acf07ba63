package com.crd.workflow.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that goes down (connections refused, open ones cut) and up
 * again on a fixed rhythm: an API server restarting over and over, as seen by its clients.
 */
final class FlappingProxy implements AutoCloseable {
  private final int target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread flapper;
  private volatile ServerSocket listener;
  private volatile boolean closed;

  FlappingProxy(int targetPort, long upMillis, long downMillis) throws IOException {
    this.target = targetPort;
    ServerSocket first = bind(0);
    this.port = first.getLocalPort();
    serve(first);
    flapper = new Thread(() -> {
      try {
        while (!closed) {
          Thread.sleep(upMillis);
          listener.close(); // new connections are refused
          for (Socket s : open) {
            s.close(); // and the ones in flight are cut
          }
          Thread.sleep(downMillis);
          if (!closed) {
            serve(bind(port));
          }
        }
      } catch (InterruptedException | IOException e) {
        // closed
      }
    }, "flapping-proxy");
    flapper.setDaemon(true);
    flapper.start();
  }

  int port() {
    return port;
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void serve(ServerSocket s) {
    listener = s;
    Thread t = new Thread(() -> {
      while (!s.isClosed()) {
        try {
          Socket client = s.accept();
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          open.add(client);
          open.add(upstream);
          pipe(client, upstream);
          pipe(upstream, client);
        } catch (IOException e) {
          return;
        }
      }
    }, "flapping-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // cut: the other direction notices too
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
        open.remove(from);
        open.remove(to);
      }
    }, "flapping-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    flapper.interrupt();
    listener.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
