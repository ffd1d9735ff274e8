resource "aws_ssmcontacts_contact" "sre" {
  alias        = "${var.team}-escalation"
  display_name = "SRE escalation"
  type         = "ESCALATION"
}

resource "aws_ssmcontacts_contact" "db" {
  alias        = "db-escalation"
  display_name = "Database escalation"
  type         = "ESCALATION"
}

resource "aws_ssmcontacts_plan" "sre" {
  contact_id = aws_ssmcontacts_contact.sre.arn
  stage {
    duration_in_minutes = 15
    target {
      contact_target_info {
        is_essential = false
        contact_id   = aws_ssmcontacts_contact.person["ana"].arn
      }
    }
    target {
      contact_target_info {
        is_essential = false
        contact_id   = aws_ssmcontacts_contact.person["ben"].arn
      }
    }
  }
  stage {
    duration_in_minutes = 10
    target {
      contact_target_info {
        is_essential = true
        contact_id   = aws_ssmcontacts_contact.duty_manager[0].arn
      }
    }
  }
}

resource "aws_ssmcontacts_plan" "db" {
  contact_id = aws_ssmcontacts_contact.db.id
  stage {
    duration_in_minutes = 10
    target {
      contact_target_info {
        is_essential = false
        contact_id   = aws_ssmcontacts_contact.person["eli"].arn
      }
    }
  }
  stage {
    duration_in_minutes = 10
    target {
      contact_target_info {
        is_essential = false
        contact_id   = aws_ssmcontacts_contact.person["fay"].arn
      }
    }
    target {
      contact_target_info {
        is_essential = true
        contact_id   = aws_ssmcontacts_contact.duty_manager[1].arn
      }
    }
  }
}

resource "aws_ssmcontacts_rotation" "sre" {
  contact_ids = [
    aws_ssmcontacts_contact.person["ana"].arn,
    aws_ssmcontacts_contact.person["ben"].arn,
    aws_ssmcontacts_contact.person["chen"].arn,
    aws_ssmcontacts_contact.person["dara"].arn,
  ]
  name         = "sre-weekly"
  time_zone_id = "Europe/London"
  start_time   = "2026-01-05T09:00:00Z"
  recurrence {
    number_of_on_calls    = 1
    recurrence_multiplier = 1
    weekly_settings {
      day_of_week = "MON"
      hand_off_time {
        hour_of_day    = 9
        minute_of_hour = 0
      }
    }
  }
}

resource "aws_ssmcontacts_rotation" "db" {
  contact_ids = [
    aws_ssmcontacts_contact.person["eli"].arn,
    aws_ssmcontacts_contact.person["fay"].arn,
    aws_ssmcontacts_contact.person["gus"].arn,
  ]
  name         = "db-daily"
  time_zone_id = "America/New_York"
  start_time   = "2026-01-05T13:00:00Z"
  recurrence {
    number_of_on_calls    = 1
    recurrence_multiplier = 1
    daily_settings {
      hour_of_day    = 8
      minute_of_hour = 0
    }
    shift_coverages {
      map_block_key = "MON"
      coverage_times {
        start {
          hour_of_day    = 8
          minute_of_hour = 0
        }
        end {
          hour_of_day    = 20
          minute_of_hour = 0
        }
      }
    }
    shift_coverages {
      map_block_key = "WED"
      coverage_times {
        start {
          hour_of_day    = 8
          minute_of_hour = 0
        }
        end {
          hour_of_day    = 20
          minute_of_hour = 0
        }
      }
    }
  }
}
