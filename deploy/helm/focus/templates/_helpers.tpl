{{/* The release's name, shortened to what a Kubernetes name (and its suffixes) may hold. */}}
{{- define "focus.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* One app's resource name: <fullname>-<app>. Args: dict root app. */}}
{{- define "focus.appName" -}}
{{- printf "%s-%s" (include "focus.fullname" .root) .app | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "focus.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: focus
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
{{- end -}}

{{/* What selects one app's pods. Args: dict root app. */}}
{{- define "focus.selectorLabels" -}}
app.kubernetes.io/name: {{ .app }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* An image as the Dockerfile builds it: <registry>/<repository>/<name>:<tag>. Args: dict root name. */}}
{{- define "focus.image" -}}
{{- $image := .root.Values.image -}}
{{- $path := printf "%s/%s" $image.repository .name -}}
{{- if $image.registry }}{{ $path = printf "%s/%s" $image.registry $path }}{{ end -}}
{{- printf "%s:%s" $path ($image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{- define "focus.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "focus.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the gateway's API keys: required, never created by the chart. */}}
{{- define "focus.apiKeysSecret" -}}
{{- required "apiKeys.existingSecret is required: the name of a Secret holding GATEWAY_API_KEYS (see values.yaml)" .Values.apiKeys.existingSecret -}}
{{- end -}}

{{/* KAFKA_BROKERS: host:port of each broker, comma separated. */}}
{{- define "focus.kafkaBrokers" -}}
{{- $brokers := .Values.kafka.brokers | default list -}}
{{- if not $brokers }}{{ fail "kafka.brokers is required: host:port of each Kafka broker (several, for a cluster)" }}{{ end -}}
{{- range $brokers }}
{{- if not (regexMatch "^[^,:\\s]+:[0-9]+$" (toString .)) }}{{ fail (printf "kafka.brokers: %q is not host:port" (toString .)) }}{{ end -}}
{{- end -}}
{{- join "," $brokers -}}
{{- end -}}

{{/* MONGO_URL's EnvVar: from a Secret when one is named (credentials), otherwise the URL as it is. */}}
{{- define "focus.mongoUrlEnv" -}}
{{- $mongo := .Values.mongodb -}}
- name: MONGO_URL
{{- if $mongo.existingSecret.name }}
  valueFrom:
    secretKeyRef:
      name: {{ $mongo.existingSecret.name }}
      key: {{ $mongo.existingSecret.key }}
{{- else }}
  value: {{ $mongo.url | quote }}
{{- end }}
{{- end -}}

{{/*
name/value EnvVars from a map of variables, in name order, leaving out empty ones (the app's default). Helm reads
every number in values as a float, which would print 67108864 as 6.7108864e+07: whole numbers are printed as integers.
*/}}
{{- define "focus.envFromMap" -}}
{{- range $name, $value := . }}
{{- if ne (toString $value) "" }}
- name: {{ $name }}
  value: {{ (ternary (printf "%d" (int64 $value)) (toString $value) (kindIs "float64" $value)) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The gateway's upstream variables: each app's in-cluster Service. */}}
{{- define "focus.upstreamEnv" -}}
{{- $root := . -}}
{{- $upstreams := dict "operation-view" "OPERATION_VIEW_URL" "population" "POPULATION_URL" "budget" "BUDGET_URL" -}}
{{- $_ := set $upstreams "narratives" "NARRATIVES_URL" -}}
{{- $_ = set $upstreams "contributions" "CONTRIBUTIONS_URL" -}}
{{- range $app, $variable := $upstreams }}
- name: {{ $variable }}
  value: {{ printf "http://%s:%v" (include "focus.appName" (dict "root" $root "app" $app)) (index $root.Values.apps $app).port | quote }}
{{- end }}
{{- end -}}

{{/*
What every install must say, checked in one order by each template that needs it, so a bare install is told the
first missing value whichever template helm renders first.
*/}}
{{- define "focus.validate" -}}
{{- $_ := include "focus.kafkaBrokers" . -}}
{{- $mongo := .Values.mongodb -}}
{{- if and (not $mongo.existingSecret.name) (not (regexMatch "^mongodb(\\+srv)?://" ($mongo.url | default ""))) }}
{{- fail "mongodb.url is required (mongodb:// or mongodb+srv://, a replica set's URL), or mongodb.existingSecret.name" }}
{{- end }}
{{- $_ = include "focus.apiKeysSecret" . -}}
{{- end -}}
