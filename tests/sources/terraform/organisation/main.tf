# The paging organisation of a small platform team: ten people, two duty managers, two
# escalation plans and two rotations. The SNS topic and the output are not paging: escsim
# ignores them.

provider "aws" {
  region = "eu-west-1"
}

variable "team" {
  type    = string
  default = "sre"
}

variable "duty_managers" {
  type    = number
  default = 2
}

resource "aws_sns_topic" "alerts" {
  name = "${var.team}-alerts"
}

output "escalation_arn" {
  value = aws_ssmcontacts_contact.sre.arn
}
