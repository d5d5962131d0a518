{{/* Names and labels, as `helm create` makes them. */}}
{{- define "cnmcp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cnmcp.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cnmcp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cnmcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cnmcp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cnmcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "cnmcp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cnmcp.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cnmcp.secretName" -}}
{{- default (include "cnmcp.fullname" .) .Values.secret.existingSecret -}}
{{- end -}}

{{- define "cnmcp.tlsSecretName" -}}
{{- if .Values.tls.certManager.enabled -}}
{{- printf "%s-tls" (include "cnmcp.fullname" .) -}}
{{- else -}}
{{- .Values.tls.secretName -}}
{{- end -}}
{{- end -}}

{{- define "cnmcp.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The environment variable holding API key <id>: CNMCP_APIKEY_<ID>. */}}
{{- define "cnmcp.apiKeyEnv" -}}
{{- printf "CNMCP_APIKEY_%s" (regexReplaceAll "[^A-Z0-9]" (upper .) "_") -}}
{{- end -}}

{{/* Refuses values that would give an insecure or broken deployment, each with what to change. */}}
{{- define "cnmcp.validate" -}}
{{- if and (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) (not (and .Values.rateLimit.redis.enabled .Values.audit.postgres.enabled)) -}}
{{- fail "more than one replica (replicaCount > 1 or autoscaling.enabled) needs shared state: set rateLimit.redis.enabled=true (rate limits and auth lockout in Redis) and audit.postgres.enabled=true (one audit log), with their URLs in the Secret" -}}
{{- end -}}
{{- if and (empty .Values.auth.apiKeys) (not (hasKey .Values.config "auth")) -}}
{{- fail "auth.apiKeys is empty and config.auth is not set: cnmcp refuses to listen on 0.0.0.0 without authentication" -}}
{{- end -}}
{{- range .Values.auth.apiKeys -}}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" (toString .id)) -}}
{{- fail (printf "auth.apiKeys: id %q must be lower-case letters, digits and dashes (it names Secret key apikey-<id>)" (toString .id)) -}}
{{- end -}}
{{- end -}}
{{- if not .Values.secret.existingSecret -}}
{{- if and .Values.rateLimit.redis.enabled (not .Values.secret.redisUrl) -}}
{{- fail "rateLimit.redis.enabled needs secret.redisUrl (redis://[:password@]host:6379/0), or secret.existingSecret holding key redis-url" -}}
{{- end -}}
{{- if and .Values.audit.postgres.enabled (not .Values.secret.auditPostgresUrl) -}}
{{- fail "audit.postgres.enabled needs secret.auditPostgresUrl (postgres://user:password@host:5432/db), or secret.existingSecret holding key audit-postgres-url" -}}
{{- end -}}
{{- end -}}
{{- if and .Values.persistence.enabled (or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled) -}}
{{- fail "persistence.enabled mounts one ReadWriteOnce claim: it allows one replica; several replicas keep their state in Redis and PostgreSQL (turn persistence off)" -}}
{{- end -}}
{{- $drainMs := int (dig "server" "drainTimeoutMs" 10000 .Values.config) -}}
{{- if le (mul (int .Values.terminationGracePeriodSeconds) 1000) $drainMs -}}
{{- fail (printf "terminationGracePeriodSeconds (%d s) must be longer than config.server.drainTimeoutMs (%d ms): the kubelet would kill calls the drain lets finish" (int .Values.terminationGracePeriodSeconds) $drainMs) -}}
{{- end -}}
{{- if and .Values.rbac.write.enabled (empty .Values.rbac.write.namespaces) (not .Values.rbac.write.cordonNodes) -}}
{{- fail "rbac.write.enabled grants writes per namespace: list them in rbac.write.namespaces (or set rbac.write.cordonNodes)" -}}
{{- end -}}
{{- if and (not .Values.tls.enabled) (not .Values.tls.terminatedUpstream) -}}
{{- fail "tls.enabled=false and tls.terminatedUpstream=false: API keys would cross the network in clear text; enable tls (HTTPS in the pod) or set tls.terminatedUpstream=true when an Ingress or mesh terminates TLS in front" -}}
{{- end -}}
{{- if .Values.tls.enabled -}}
{{- if eq (empty .Values.tls.secretName) (not .Values.tls.certManager.enabled) -}}
{{- fail "tls.enabled needs exactly one certificate source: tls.secretName (a kubernetes.io/tls Secret) or tls.certManager.enabled" -}}
{{- end -}}
{{- if .Values.tls.certManager.enabled -}}
{{- if not (.Capabilities.APIVersions.Has "cert-manager.io/v1") -}}
{{- fail "tls.certManager.enabled needs cert-manager installed (API cert-manager.io/v1 is not served)" -}}
{{- end -}}
{{- if or (not .Values.tls.certManager.issuerRef.name) (empty .Values.tls.certManager.dnsNames) -}}
{{- fail "tls.certManager needs issuerRef.name and at least one of dnsNames" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if .Values.metrics.serviceMonitor.enabled -}}
{{- if not .Values.metrics.enabled -}}
{{- fail "metrics.serviceMonitor.enabled needs metrics.enabled" -}}
{{- end -}}
{{- if not (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}
{{- fail "metrics.serviceMonitor.enabled needs the Prometheus Operator (API monitoring.coreos.com/v1 is not served)" -}}
{{- end -}}
{{- end -}}
{{- if .Values.metrics.prometheusRule.enabled -}}
{{- if not .Values.metrics.enabled -}}
{{- fail "metrics.prometheusRule.enabled needs metrics.enabled" -}}
{{- end -}}
{{- if not (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}
{{- fail "metrics.prometheusRule.enabled needs the Prometheus Operator (API monitoring.coreos.com/v1 is not served)" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The cnmcp config file. Every credential is an ${env:NAME} reference to a variable the Deployment fills from the
Secret, so the ConfigMap holds none. .Values.config is merged over the generated sections.
*/}}
{{- define "cnmcp.config" -}}
{{- $keys := list -}}
{{- range .Values.auth.apiKeys -}}
{{- $keys = append $keys (dict "id" .id "key" (printf "${env:%s}" (include "cnmcp.apiKeyEnv" .id)) "roles" .roles) -}}
{{- end -}}
{{- $cfg := dict "server" (dict "listen" "0.0.0.0:8080") -}}
{{- if not .Values.tls.enabled -}}
{{- $_ := set $cfg.server "tlsTerminatedUpstream" true -}}
{{- end -}}
{{- /* Several replicas behind a round-robin Service: no in-memory sessions, any replica serves any request. */ -}}
{{- if or (gt (int .Values.replicaCount) 1) .Values.autoscaling.enabled -}}
{{- $_ := set $cfg.server "sessions" "stateless" -}}
{{- end -}}
{{- if $keys -}}
{{- $_ := set $cfg "auth" (list (dict "use" "apikey" "keys" $keys)) -}}
{{- end -}}
{{- $_ := set $cfg "authorization" (dict "use" "rbac" "roles" .Values.authorization.roles) -}}
{{- $_ := set $cfg "auditing" (dict "hmacKey" "${env:CNMCP_AUDIT_HMAC_KEY}") -}}
{{- $audit := list -}}
{{- if .Values.audit.stdout -}}
{{- $audit = append $audit (dict "use" "stdout") -}}
{{- end -}}
{{- if .Values.audit.postgres.enabled -}}
{{- $pg := dict "use" "postgres" "url" "${env:CNMCP_AUDIT_POSTGRES_URL}" "table" .Values.audit.postgres.table "failClosed" .Values.audit.postgres.failClosed -}}
{{- if .Values.audit.postgres.retentionDays -}}
{{- $_ := set $pg "retentionDays" .Values.audit.postgres.retentionDays -}}
{{- end -}}
{{- $audit = append $audit $pg -}}
{{- end -}}
{{- if $audit -}}
{{- $_ := set $cfg "audit" $audit -}}
{{- end -}}
{{- if .Values.secretStore.kubernetes.enabled -}}
{{- $_ := set $cfg "secrets" (dict "use" "kubernetes" "namespace" .Release.Namespace "prefix" .Values.secretStore.kubernetes.prefix) -}}
{{- end -}}
{{- if .Values.rateLimit.redis.enabled -}}
{{- $_ := set $cfg "rateLimit" (dict "use" "redis" "url" "${env:CNMCP_REDIS_URL}" "keyPrefix" .Values.rateLimit.redis.keyPrefix) -}}
{{- end -}}
{{- $packs := list -}}
{{- if .Values.kubernetes.enabled -}}
{{- $packs = append $packs (merge (dict "use" "kubernetes" "inCluster" true) (deepCopy .Values.kubernetes.options)) -}}
{{- end -}}
{{- $packs = concat $packs .Values.extraToolPacks -}}
{{- if $packs -}}
{{- $_ := set $cfg "toolPacks" $packs -}}
{{- end -}}
{{- if .Values.metrics.enabled -}}
{{- $_ := set $cfg "telemetry" (dict "metrics" (dict "enabled" true "listen" "0.0.0.0:9464")) -}}
{{- end -}}
{{- if .Values.tls.enabled -}}
{{- $_ := set $cfg "tls" (dict "use" "file" "cert" "/etc/cnmcp/tls/tls.crt" "key" "/etc/cnmcp/tls/tls.key") -}}
{{- end -}}
{{- toYaml (mergeOverwrite $cfg (deepCopy .Values.config)) -}}
{{- end -}}
