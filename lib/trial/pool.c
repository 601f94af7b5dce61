/*
 * pool.c - agent trials in worker threads (see trial.h).  Each thread
 * owns one sandbox slot (its keeper dies with the thread) and its cache of
 * materialised bases; ab-gen's loop submits trials and collects what is
 * done.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trial.h"

struct item {
	json_t *task;
	const struct ab_trial_cfg *cfg;
	int sample;
	void *udata;
	json_t *gen;
	struct item *next;
};

struct worker {
	struct ab_trial_pool *p;
	pthread_t th;
	int slot;
	bool started;
	struct ab_trialer *t;	/* under the pool's lock */
};

struct ab_trial_pool {
	struct ab_trial_opts o;
	pthread_mutex_t mu;
	pthread_cond_t work, done_cv, ready_cv;
	struct item *queue, *queue_tail, *done, *done_tail;
	int pending, nready, nfailed;
	bool stop;
	struct ab_error first_err;
	struct worker *w;
	int n;
};

static void
push(struct item **head, struct item **tail, struct item *it)
{
	it->next = NULL;
	if (*tail != NULL)
		(*tail)->next = it;
	else
		*head = it;
	*tail = it;
}

static struct item *
pop(struct item **head, struct item **tail)
{
	struct item *it = *head;

	if (it != NULL) {
		*head = it->next;
		if (*head == NULL)
			*tail = NULL;
	}
	return it;
}

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct ab_trial_pool *p = w->p;
	struct ab_trial_opts o = p->o;
	struct ab_trialer *t;
	struct ab_error err;
	struct item *it;
	char *dir;

	dir = ab_xasprintf("%s/slot%d", p->o.dir, w->slot);
	o.dir = dir;
	o.slot = w->slot;
	/* One slot at a time: a keeper's start is not made to race
	 * another's. */
	pthread_mutex_lock(&start_lock);
	t = ab_trialer_new(&o, &err);
	pthread_mutex_unlock(&start_lock);
	pthread_mutex_lock(&p->mu);
	if (t == NULL) {
		if (p->nfailed++ == 0)
			p->first_err = err;
	}
	p->nready++;
	w->t = t;
	pthread_cond_broadcast(&p->ready_cv);
	pthread_mutex_unlock(&p->mu);
	free(dir);
	if (t == NULL)
		return NULL;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->queue == NULL)
			pthread_cond_wait(&p->work, &p->mu);
		it = p->stop ? NULL : pop(&p->queue, &p->queue_tail);
		pthread_mutex_unlock(&p->mu);
		if (it == NULL)
			break;
		it->gen = ab_trial_run(t, it->task, it->cfg, it->sample);
		pthread_mutex_lock(&p->mu);
		push(&p->done, &p->done_tail, it);
		pthread_cond_broadcast(&p->done_cv);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_mutex_lock(&p->mu);
	w->t = NULL;
	pthread_mutex_unlock(&p->mu);
	ab_trialer_free(t);
	return NULL;
}

struct ab_trial_pool *
ab_trial_pool_new(int n, const struct ab_trial_opts *o, struct ab_error *err)
{
	struct ab_trial_pool *p = ab_xcalloc(1, sizeof *p);
	int i;

	p->o = *o;
	p->n = n < 1 ? 1 : n;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	pthread_cond_init(&p->ready_cv, NULL);
	p->w = ab_xcalloc((size_t)p->n, sizeof *p->w);
	for (i = 0; i < p->n; i++) {
		p->w[i].p = p;
		p->w[i].slot = o->slot + i;
		if (pthread_create(&p->w[i].th, NULL, worker_main,
		    &p->w[i]) != 0) {
			pthread_mutex_lock(&p->mu);
			p->nready++;
			p->nfailed++;
			ab_error_set(&p->first_err, "harness", "cannot start a "
			    "trial thread");
			pthread_mutex_unlock(&p->mu);
			continue;
		}
		p->w[i].started = true;
	}
	/* Every slot's sandbox checked before any trial starts. */
	pthread_mutex_lock(&p->mu);
	while (p->nready < p->n)
		pthread_cond_wait(&p->ready_cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (p->nfailed > 0) {
		*err = p->first_err;
		ab_trial_pool_free(p);
		return NULL;
	}
	return p;
}

void
ab_trial_pool_submit(struct ab_trial_pool *p, json_t *task,
    const struct ab_trial_cfg *cfg, int sample, void *udata)
{
	struct item *it = ab_xcalloc(1, sizeof *it);

	it->task = json_incref(task);
	it->cfg = cfg;
	it->sample = sample;
	it->udata = udata;
	pthread_mutex_lock(&p->mu);
	push(&p->queue, &p->queue_tail, it);
	p->pending++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

int
ab_trial_pool_pending(const struct ab_trial_pool *p)
{
	return p == NULL ? 0 : p->pending;
}

void *
ab_trial_pool_next(struct ab_trial_pool *p, double wait_ms, json_t **gen)
{
	struct item *it;
	struct timespec ts;
	void *ud = NULL;

	*gen = NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (wait_ms > 0) {
		long long ns = ts.tv_nsec + (long long)(wait_ms * 1e6);

		ts.tv_sec += (time_t)(ns / 1000000000);
		ts.tv_nsec = (long)(ns % 1000000000);
	}
	pthread_mutex_lock(&p->mu);
	while (p->done == NULL && p->pending > 0 && wait_ms != 0) {
		if (wait_ms < 0)
			pthread_cond_wait(&p->done_cv, &p->mu);
		else if (pthread_cond_timedwait(&p->done_cv, &p->mu, &ts) ==
		    ETIMEDOUT)
			break;
	}
	it = pop(&p->done, &p->done_tail);
	if (it != NULL)
		p->pending--;
	pthread_mutex_unlock(&p->mu);
	if (it != NULL) {
		*gen = it->gen;
		ud = it->udata;
		json_decref(it->task);
		free(it);
	}
	return ud;
}

void
ab_trial_pool_free(struct ab_trial_pool *p)
{
	struct item *it;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	/* Running trials are killed now. */
	for (i = 0; i < p->n; i++)
		if (p->w[i].t != NULL)
			ab_trialer_kill(p->w[i].t);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n; i++)
		if (p->w[i].started)
			pthread_join(p->w[i].th, NULL);
	while ((it = pop(&p->queue, &p->queue_tail)) != NULL) {
		json_decref(it->task);
		free(it);
	}
	while ((it = pop(&p->done, &p->done_tail)) != NULL) {
		json_decref(it->task);
		json_decref(it->gen);
		free(it);
	}
	free(p->w);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done_cv);
	pthread_cond_destroy(&p->ready_cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
