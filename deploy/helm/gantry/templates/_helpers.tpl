{{- define "gantry.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gantry.labels" -}}
app.kubernetes.io/name: gantry
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The label every node pod of this release carries: the headless Service selects all pools with it. */}}
{{- define "gantry.nodeSelectorLabels" -}}
app.kubernetes.io/name: gantry
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: node
{{- end -}}

{{- define "gantry.headless" -}}
{{- printf "%s-hs" (include "gantry.fullname" .) -}}
{{- end -}}

{{- define "gantry.secretName" -}}
{{- include "gantry.fullname" . -}}
{{- end -}}

{{- define "gantry.postgresName" -}}
{{- printf "%s-postgres" (include "gantry.fullname" .) -}}
{{- end -}}

{{/* Device-plugin resource per vendor (see docs/OPERATIONS.md); `resource` overrides it. */}}
{{- define "gantry.acceleratorResource" -}}
{{- $a := .accelerator | default dict -}}
{{- if $a.resource -}}{{ $a.resource }}
{{- else if eq $a.vendor "nvidia" -}}nvidia.com/gpu
{{- else if eq $a.vendor "amd" -}}amd.com/gpu
{{- else if eq $a.vendor "ascend" -}}huawei.com/Ascend910
{{- else if eq $a.vendor "hygon" -}}hygon.com/dcu
{{- else if eq $a.vendor "cambricon" -}}cambricon.com/mlu
{{- else if eq $a.vendor "iluvatar" -}}iluvatar.com/gpu
{{- else if eq $a.vendor "metax" -}}metax-tech.com/gpu
{{- else if eq $a.vendor "mthreads" -}}mthreads.com/gpu
{{- end -}}
{{- end -}}

{{/* The database URL without its password (the password travels as a file). */}}
{{- define "gantry.dbUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "postgresql://gantry@%s:5432/gantry" (include "gantry.postgresName" .) -}}
{{- else -}}
{{- required "postgresql.external.url is required when postgresql.enabled is false (postgresql://user@host:5432/db, the password in postgresql.external.existingSecret)" .Values.postgresql.external.url -}}
{{- end -}}
{{- end -}}

{{/* A secret value: the given one, else a new random one (the Secret is written once, at install). */}}
{{- define "gantry.stableSecret" -}}
{{- if . -}}{{ . | b64enc }}{{- else -}}{{ randAlphaNum 48 | b64enc }}{{- end -}}
{{- end -}}

{{/* The Gantry labels of a pool's nodes: pool=<name>, vendor=<vendor> and the pool's own. */}}
{{- define "gantry.poolLabels" -}}
{{- $labels := list (printf "pool=%s" .name) -}}
{{- $a := .accelerator | default dict -}}
{{- if and $a.vendor (ne $a.vendor "none") -}}{{- $labels = append $labels (printf "accelerator=%s" $a.vendor) -}}{{- end -}}
{{- range $k, $v := (.labels | default dict) -}}{{- $labels = append $labels (printf "%s=%s" $k $v) -}}{{- end -}}
{{- join "," $labels -}}
{{- end -}}
