locals {
  people = {
    ana  = { name = "Ana Silva", phone = "+15005550101" }
    ben  = { name = "Ben Okafor", phone = "+15005550102" }
    chen = { name = "Chen Wei", phone = "+15005550103" }
    dara = { name = "Dara Byrne", phone = "+15005550104" }
    eli  = { name = "Eli Cohen", phone = "+15005550105" }
    fay  = { name = "Fay Moreau", phone = "+15005550106" }
    gus  = { name = "Gus Larsen", phone = "+15005550107" }
    hana = { name = "Hana Sato", phone = "+15005550108" }
    ivo  = { name = "Ivo Petrov", phone = "+15005550109" }
    jo   = { name = "Jo Mensah", phone = "+15005550110" }
  }
  mail_domain = "example.com"
}

resource "aws_ssmcontacts_contact" "person" {
  for_each     = local.people
  alias        = each.key
  display_name = each.value.name
  type         = "PERSONAL"
  tags = {
    team = var.team
  }
}

resource "aws_ssmcontacts_contact_channel" "sms" {
  for_each   = local.people
  contact_id = aws_ssmcontacts_contact.person[each.key].arn
  name       = "sms"
  type       = "SMS"
  delivery_address {
    simple_address = each.value.phone
  }
}

resource "aws_ssmcontacts_contact_channel" "email" {
  for_each   = local.people
  contact_id = aws_ssmcontacts_contact.person[each.key].arn
  name       = "email"
  type       = "EMAIL"
  delivery_address {
    simple_address = "${each.key}@${local.mail_domain}"
  }
}

resource "aws_ssmcontacts_plan" "personal" {
  for_each   = local.people
  contact_id = aws_ssmcontacts_contact.person[each.key].arn
  stage {
    duration_in_minutes = 5
    target {
      channel_target_info {
        contact_channel_id        = aws_ssmcontacts_contact_channel.sms[each.key].arn
        retry_interval_in_minutes = 2
      }
    }
  }
  stage {
    duration_in_minutes = 10
    target {
      channel_target_info {
        contact_channel_id = aws_ssmcontacts_contact_channel.email[each.key].arn
      }
    }
  }
}

resource "aws_ssmcontacts_contact" "duty_manager" {
  count        = var.duty_managers
  alias        = "duty-manager-${count.index}"
  display_name = "Duty manager ${count.index}"
  type         = "PERSONAL"
}

resource "aws_ssmcontacts_contact_channel" "duty_email" {
  count      = var.duty_managers
  contact_id = aws_ssmcontacts_contact.duty_manager[count.index].arn
  name       = "email"
  type       = "EMAIL"
  delivery_address {
    simple_address = "duty${count.index}@${local.mail_domain}"
  }
}
