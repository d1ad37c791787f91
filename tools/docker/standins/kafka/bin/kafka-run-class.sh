#!/bin/sh
# Runs one Kafka class with every jar, as the distribution's kafka-run-class.sh does.
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -Dlog4j2.configurationFile=${KAFKA_LOG4J_CONFIG:-/opt/kafka/config/log4j2.yaml} \
  -cp '/opt/kafka/libs/*' "$@"
