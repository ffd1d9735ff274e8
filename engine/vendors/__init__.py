"""Other on-call products' organisations, read from and written to their documented REST API
shapes (docs/vendors/): PagerDuty, Opsgenie and GoAlert, each as a vendor-neutral
:class:`~engine.policy.model.OnCallSetup`."""
