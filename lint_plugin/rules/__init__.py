"""The rule registry: one module per rule, each holding its spec beside its check."""

from __future__ import annotations

from lint_plugin.rules import (
    wsu101_legacy_module_import,
    wsu102_deprecated_submodule_alias,
    wsu103_deprecated_top_level_alias,
    wsu104_legacy_top_level_alias,
    wsu105_deprecated_exception,
    wsu106_deprecated_module,
    wsu201_connection_open,
    wsu202_connection_closed,
    wsu203_connection_path,
    wsu204_connection_request_headers,
    wsu205_connection_response_headers,
    wsu206_connection_host_port_secure,
    wsu207_legacy_connection_internals,
    wsu208_connection_closed_code_reason,
    wsu301_handler_path_argument,
    wsu302_legacy_process_request,
    wsu303_legacy_select_subprotocol,
    wsu304_legacy_protocol_subclass,
    wsu401_connect_extra_headers,
    wsu402_serve_extra_headers,
    wsu403_serve_ws_handler_keyword,
    wsu404_create_protocol_argument,
    wsu405_klass_argument,
    wsu406_timeout_argument,
    wsu407_removed_loop_legacy_recv,
    wsu408_read_limit_argument,
    wsu409_empty_origin,
    wsu410_max_queue_semantics,
    wsu411_basic_auth_protocol_factory,
    wsu501_recv_then_encode,
    wsu502_subprotocols_without_selector,
    wsu503_reconnect_retry_policy,
    wsu504_hand_kept_connection_set,
)
from lint_plugin.spec import Rule, RuleSpec

ALL_RULES: tuple[Rule, ...] = tuple(
    module.RULE
    for module in (
        wsu101_legacy_module_import,
        wsu102_deprecated_submodule_alias,
        wsu103_deprecated_top_level_alias,
        wsu104_legacy_top_level_alias,
        wsu105_deprecated_exception,
        wsu106_deprecated_module,
        wsu201_connection_open,
        wsu202_connection_closed,
        wsu203_connection_path,
        wsu204_connection_request_headers,
        wsu205_connection_response_headers,
        wsu206_connection_host_port_secure,
        wsu207_legacy_connection_internals,
        wsu208_connection_closed_code_reason,
        wsu301_handler_path_argument,
        wsu302_legacy_process_request,
        wsu303_legacy_select_subprotocol,
        wsu304_legacy_protocol_subclass,
        wsu401_connect_extra_headers,
        wsu402_serve_extra_headers,
        wsu403_serve_ws_handler_keyword,
        wsu404_create_protocol_argument,
        wsu405_klass_argument,
        wsu406_timeout_argument,
        wsu407_removed_loop_legacy_recv,
        wsu408_read_limit_argument,
        wsu409_empty_origin,
        wsu410_max_queue_semantics,
        wsu411_basic_auth_protocol_factory,
        wsu501_recv_then_encode,
        wsu502_subprotocols_without_selector,
        wsu503_reconnect_retry_policy,
        wsu504_hand_kept_connection_set,
    )
)
RULES_BY_CODE: dict[str, Rule] = {rule.spec.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Rule", "RuleSpec"]
