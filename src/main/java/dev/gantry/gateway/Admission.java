package dev.gantry.gateway;

import dev.gantry.auth.Entitlement;
import dev.gantry.auth.Principal;
import dev.gantry.cluster.LocalMirror;
import dev.gantry.common.RetryLater;
import dev.gantry.limits.Limits;
import dev.gantry.limits.Prices;
import dev.gantry.limits.QuotaLedger;
import dev.gantry.limits.RateLimiter;
import dev.gantry.limits.Verdict;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * The gateway's admission after access (a name the caller may not use is a 404 before this): quotas,
 * then rate limits, of the caller's key, user and groups ({@link Entitlement#subjects()}) and of the
 * model/route name ({@code /v2/limits}). All from this node's memory: a quota is two hash lookups, a rate
 * limit one counter under its own lock; a caller without limits costs one list check. A refusal is a 429
 * with {@code Retry-After} ({@code insufficient_quota} or {@code rate_limit_exceeded}); an admitted request
 * gets OpenAI's {@code x-ratelimit-*} headers when a limit applies, and a {@link Ticket} that its usage
 * meter finishes with the tokens it used (what the rate windows and quotas are charged). A refused
 * request is charged nothing.
 */
public final class Admission {

  /** One model/route name's limits and prices (null: none), as the mirror keeps them (subject id made once). */
  public record NameLimit(String subject, String name, Limits limits, Prices prices) {
  }

  private final RateLimiter limiter;
  private final QuotaLedger ledger;
  private final LocalMirror<NameLimit> names;

  public Admission(RateLimiter limiter, QuotaLedger ledger, LocalMirror<NameLimit> names) {
    this.limiter = limiter;
    this.ledger = ledger;
    this.names = names;
  }

  public QuotaLedger ledger() {
    return ledger;
  }

  RateLimiter limiter() {
    return limiter;
  }

  LocalMirror<NameLimit> names() {
    return names;
  }

  /** Admits the caller's request for {@code model} or throws the 429 (headers already on {@code response}). */
  Ticket admit(Principal caller, String model, HttpServerResponse response) {
    Entitlement entitlement = caller.entitlement();
    List<Entitlement.Subject> subjects = entitlement == null ? List.of() : entitlement.subjects();
    NameLimit named = names.get(model);
    if (subjects.isEmpty() && named == null) {
      return null;
    }
    for (Entitlement.Subject subject : subjects) {
      if (subject.limits().hasQuotas()) {
        String refusal = ledger.refusal(subject.id(), subject.name(), subject.limits());
        if (refusal != null) {
          throw RetryLater.tooManyRequests("insufficient_quota", "You exceeded your current quota: " + refusal + ".",
              ledger.secondsUntilRenewal(subject.id(), subject.limits()));
        }
      }
    }
    Verdict verdict = new Verdict();
    int admitted = 0;
    for (; admitted < subjects.size(); admitted++) {
      Entitlement.Subject subject = subjects.get(admitted);
      if (subject.limits().hasRates() && !limiter.admit(subject.id(), subject.name(), subject.limits(), verdict)) {
        break;
      }
    }
    boolean nameAdmitted = admitted == subjects.size() && (named == null || !named.limits().hasRates()
        || limiter.admit(named.subject(), "model '" + named.name() + "'", named.limits(), verdict));
    RateHeaders.put(response, verdict);
    if (admitted < subjects.size() || !nameAdmitted) {
      for (int i = 0; i < admitted; i++) {
        if (subjects.get(i).limits().hasRates()) {
          limiter.undo(subjects.get(i).id());
        }
      }
      throw RetryLater.tooManyRequests("rate_limit_exceeded", "Rate limit reached: " + verdict.refusal()
          + "; retry after the Retry-After seconds.", (verdict.retryAfterMs() + 999) / 1000);
    }
    return new Ticket(this, subjects, named);
  }

  /** An admitted request's claim on its limits: finished once, with the tokens it used. */
  static final class Ticket {

    private final Admission admission;
    private final List<Entitlement.Subject> subjects;
    private final NameLimit named;

    private Ticket(Admission admission, List<Entitlement.Subject> subjects, NameLimit named) {
      this.admission = admission;
      this.subjects = subjects;
      this.named = named;
    }

    /**
     * Charges the request's tokens (and its cost, when the name has prices) to its limits; answers its cost
     * in millionths of the currency, or -1 when the name has no prices.
     */
    long finish(long promptTokens, long completionTokens) {
      long tokens = promptTokens + completionTokens;
      long cost = named == null || named.prices() == null ? -1 : named.prices().costMicros(promptTokens, completionTokens);
      for (Entitlement.Subject subject : subjects) {
        if (subject.limits().hasRates()) {
          admission.limiter.finish(subject.id(), tokens);
        }
        if (subject.limits().hasQuotas()) {
          admission.ledger.charge(subject.id(), tokens);
        }
        if (cost > 0 && subject.limits().hasCostQuotas()) {
          admission.ledger.chargeCost(subject.id(), cost);
        }
      }
      if (named != null && named.limits().hasRates()) {
        admission.limiter.finish(named.subject(), tokens);
      }
      return cost;
    }
  }
}
