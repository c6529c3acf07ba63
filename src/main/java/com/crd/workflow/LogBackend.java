package com.crd.workflow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The slf4j 2 backend: client-java's and okhttp's logging goes through {@link Log}, in the
 * operator's format (text or JSON) and at its level, one line per event, exceptions as one field.
 * Registered in {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}.
 */
public final class LogBackend implements SLF4JServiceProvider {
  private final ILoggerFactory factory = new Factory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Factory implements ILoggerFactory {
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, LibraryLogger::new);
    }
  }

  static final class LibraryLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    LibraryLogger(String name) {
      this.name = name;
    }

    private static Log.Level level(Level l) {
      return switch (l) {
        case TRACE, DEBUG -> Log.Level.DEBUG;
        case INFO -> Log.Level.INFO;
        case WARN -> Log.Level.WARN;
        case ERROR -> Log.Level.ERROR;
      };
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return Log.libraryEnabled(Log.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return Log.libraryEnabled(Log.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return Log.libraryEnabled(Log.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return Log.libraryEnabled(Log.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] args, Throwable error) {
      Log.Level l = level(level);
      if (Log.libraryEnabled(l)) {
        Log.write(l, name, MessageFormatter.basicArrayFormat(pattern, args), error);
      }
    }
  }
}
