"""The distribution strategy stand-in: where multi-device training plugs in."""
