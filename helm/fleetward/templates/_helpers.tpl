{{/* Chart name, at most 63 characters. */}}
{{- define "fleetward.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the objects: release and chart name, unless one contains the other. */}}
{{- define "fleetward.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fleetward.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fleetward.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetward.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fleetward.labels" -}}
helm.sh/chart: {{ include "fleetward.chart" . }}
{{ include "fleetward.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fleetward.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetward.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The files fleetward reads secrets from: one entry per configured Secret reference, as
{name, secret, key, dir, file, property, mode}. Mounted by the Deployment, named in the ConfigMap.
Mode 0440: Kubernetes makes the files root:<fsGroup>, so the pod's non-root user reads them by its group.
*/}}
{{- define "fleetward.secretFiles" -}}
{{- $files := list }}
{{- with .Values.source.httpsToken }}{{ if .existingSecret }}
{{- $files = append $files (dict "name" "source-token" "secret" .existingSecret "key" .key "dir" "/etc/fleetward/secrets/source" "file" "token" "property" "fleetward.source.https-token-file" "mode" 288) }}
{{- end }}{{ end }}
{{- range $provider := list "github" "gitea" "gitlab" "generic" }}
{{- $ref := index $.Values.webhook $provider }}
{{- if $ref.existingSecret }}
{{- $files = append $files (dict "name" (printf "webhook-%s" $provider) "secret" $ref.existingSecret "key" $ref.key "dir" (printf "/etc/fleetward/secrets/webhook-%s" $provider) "file" "secret" "property" (printf "fleetward.webhook.%s.secret-file" $provider) "mode" 288) }}
{{- end }}
{{- end }}
{{- with .Values.api.tokenHashes }}{{ if .existingSecret }}
{{- $files = append $files (dict "name" "api-token-hashes" "secret" .existingSecret "key" .key "dir" "/etc/fleetward/secrets/api" "file" "token-hashes" "property" "fleetward.api.token-hashes-file" "mode" 288) }}
{{- end }}{{ end }}
{{- with .Values.ssh.identity }}{{ if .existingSecret }}
{{- $files = append $files (dict "name" "ssh-identity" "secret" .existingSecret "key" .key "dir" "/etc/fleetward/ssh/identity" "file" "id" "property" "fleetward.ssh.identity" "mode" 288) }}
{{- end }}{{ end }}
{{- with .Values.ssh.knownHosts }}{{ if .existingSecret }}
{{- $files = append $files (dict "name" "ssh-known-hosts" "secret" .existingSecret "key" .key "dir" "/etc/fleetward/ssh/known-hosts" "file" "known_hosts" "property" "fleetward.ssh.known-hosts" "mode" 288) }}
{{- end }}{{ end }}
{{- toJson $files }}
{{- end }}
