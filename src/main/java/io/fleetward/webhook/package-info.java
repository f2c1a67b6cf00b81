/**
 * Webhook receivers: a push to the tracked branch of the tracked repository nudges the reconcile
 * loop to fetch now instead of at the next poll. A webhook never says what to deploy; the loop
 * always deploys what it fetched.
 *
 * <h2>Endpoints</h2>
 * {@code POST /webhooks/{provider}}, one per provider, each enabled by its secret
 * ({@code fleetward.webhook.<provider>.secret} or {@code .secret-file}, whose first line wins):
 * <table>
 * <caption>providers</caption>
 * <tr><th>provider</th><th>authenticity</th><th>event</th><th>delivery id</th></tr>
 * <tr><td>github</td><td>{@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}</td>
 *     <td>{@code X-GitHub-Event}: push; ping is answered 200</td><td>{@code X-GitHub-Delivery}</td></tr>
 * <tr><td>gitea (also Forgejo)</td><td>{@code X-Gitea-Signature} / {@code X-Forgejo-Signature}: bare hex
 *     HMAC-SHA256 (every one sent must hold)</td><td>{@code X-Gitea-Event} / {@code X-Forgejo-Event}: push</td>
 *     <td>{@code X-Gitea-Delivery} / {@code X-Forgejo-Delivery}</td></tr>
 * <tr><td>gitlab</td><td>{@code X-Gitlab-Token}: the secret itself (compared in constant time)</td>
 *     <td>{@code X-Gitlab-Event: Push Hook}</td><td>{@code X-Gitlab-Event-UUID}</td></tr>
 * <tr><td>generic</td><td>{@code X-Signature: sha256=<hex HMAC-SHA256 of the body>}</td>
 *     <td>every request is a push</td><td>{@code X-Delivery}</td></tr>
 * </table>
 * The generic body is {@code {"repository": "owner/name", "ref": "refs/heads/main", "after": "<commit>"}};
 * {@code repository} may also be a clone URL, {@code after} is the 40 (or 64) hex digit commit id the
 * ref points to now, other fields are ignored. Each field is optional and checked only when present:
 * a signed empty body or {@code {}} means "fetch now". For example, from a CI job:
 * <pre>
 * body='{"repository":"example/fleet","ref":"refs/heads/main","after":"'"$COMMIT"'"}'
 * sig=$(printf %s "$body" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
 * curl -sS -H "X-Signature: sha256=$sig" -H "X-Delivery: $CI_JOB_ID" -d "$body" https://fleetward/webhooks/generic
 * </pre>
 *
 * <h2>Answers</h2>
 * 2xx bodies are {@code {"result": ..., "reason": ...}}; errors {@code {"error": ..., "detail": ...}}.
 * <ul>
 * <li>202 {@code accepted}: a push to the tracked branch; a fetch follows at once, or at the end of the
 *     coalesce window when one was requested less than a window ago</li>
 * <li>202 {@code ignored}: another repository, branch, a tag, a branch deletion, or not a push event</li>
 * <li>202 {@code duplicate}: a delivery id seen before (kept for {@code delivery-retention})</li>
 * <li>202 {@code current}: the pushed commit is the revision already fetched</li>
 * <li>200 {@code ping}: GitHub's ping</li>
 * <li>400 malformed JSON, delivery id or event header; 401 missing or wrong signature or token, and
 *     every SHA-1 signature; 404 unknown or disabled provider ({@code webhook provider X is disabled});
 *     405 another method; 413 a body over {@code max-body}</li>
 * </ul>
 * The signature is checked on the raw bytes before the body is parsed. Each answer is counted in
 * {@code fleetward_webhook_requests_total{provider,result}} (result: the 2xx result, or unauthorized,
 * malformed, too_large, disabled) and logged on one line with its reason.
 */
package io.fleetward.webhook;
