"""Background jobs — the one place long work runs (scans, § 5 reports, reminders, purges).

Write a handler (in your app's ``jobs.py``; it must be idempotent — it may run again after
a worker died half-way — and return JSON)::

    from ocenurzad.jobs.registry import job_handler
    from ocenurzad.jobs.services import JobError

    @job_handler
    def scan_stack_process(job):            # job: services.JobContext
        stack = ScanStack.objects.get(office=job.office, pk=job.params["stack_id"])
        for done, page in enumerate(pages, 1):
            ...                                # short transactions only
            job.progress(done, total=len(pages), note="Strona 3")  # renews the lease
        if unreadable:
            raise JobError("Plik nie jest skanem ankiety.")         # failed, with message
        return {"message": "Odczytano 12 arkuszy.",
                "links": [{"url": "/…/admin/skany/7/", "label": "Zobacz arkusze"}]}
        # a link may also be {"route": "panel:…", "args": [...], "label": …}: reversed by
        # the job's page, which knows the office's address (a worker does not)

Queue it (from a service or workflow; the worker is woken when the transaction commits)::

    from ocenurzad.jobs.services import job_enqueue

    job = job_enqueue(office=office, owner=request.user, handler=scan_stack_process,
                      title=_("Odczyt skanów"), params={"stack_id": stack.pk},
                      key=f"scan-stack:{office.pk}:{stack.pk}")   # optional: idempotent
    return redirect("panel:job", job.pk)      # the job's page: progress, then result

Read: ``selectors.job_get(office=, job_id=)`` (404 for other offices),
``job.state`` (queued, running, succeeded, failed), ``job.progress_done/total/note``,
``job.result``, ``job.error``. In tests, run a job in-process with
``services.job_execute(job_id=job.pk)``.

Guarantees (services.py): one worker at a time holds a job (a lease renewed by a
heartbeat thread and by ``progress``); a worker that dies leaves a lease that runs out,
and the reaper queues the job again (``JOBS_MAX_ATTEMPTS``); a worker that lost its lease
cannot store a result. Run the worker: ``manage.py jobs_worker``.
"""
